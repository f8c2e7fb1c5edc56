import { withUser } from "@/lib/auth/guard";
import { attemptIdFrom, taskKeyFrom } from "@/lib/exams/route-params";
import { taskKubeconfig } from "@/lib/exams/service";

export const GET = withUser("student", async (_request, user, context) => {
  const id = await attemptIdFrom(context);
  const key = await taskKeyFrom(context);
  return new Response(await taskKubeconfig(user.id, id, key), {
    headers: {
      "Content-Type": "application/yaml; charset=utf-8",
      "Content-Disposition": `attachment; filename="kubeprep-exam-${key.replace(/[^a-z0-9-]/g, "-")}.kubeconfig"`,
      "Cache-Control": "no-store",
    },
  });
});
