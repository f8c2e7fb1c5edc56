import { withUser } from "@/lib/auth/guard";
import { kubeconfigOf } from "@/lib/scenarios/service";
import { scenarioIdFrom } from "@/lib/scenarios/route-params";

export const GET = withUser("student", async (_request, user, context) => {
  const id = await scenarioIdFrom(context);
  return new Response(await kubeconfigOf(user.id, id), {
    headers: {
      "Content-Type": "application/yaml; charset=utf-8",
      "Content-Disposition": `attachment; filename="kubeprep-${id}.kubeconfig"`,
      "Cache-Control": "no-store",
    },
  });
});
