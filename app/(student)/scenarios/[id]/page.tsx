import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/guard";
import { getCurrentUser } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { getScenario } from "@/lib/scenarios/catalog";
import { Badge, Card } from "../../../_components/ui";
import { Markdown } from "../markdown";
import { KeyboardHelp } from "./split-layout";
import { ScenarioWorkspace } from "./workspace";
import { ScenarioPreview } from "./preview";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const scenario = getScenario((await params).id);
  return { title: scenario ? scenario.title : "Scenario not found" };
}

export default async function ScenarioPage({ params }: Params) {
  // Visitors who are not signed in get a read-only preview (preview.tsx); everyone else the guard.
  if (!(await getCurrentUser())) {
    const preview = getScenario((await params).id);
    if (!preview) notFound();
    return <ScenarioPreview scenario={preview} />;
  }
  await requirePageUser("student");
  const scenario = getScenario((await params).id);
  if (!scenario) notFound();

  const practice = getEnv().practiceApi;
  const steps = scenario.steps.map((step) => ({
    title: step.title,
    hintCount: step.hintCount,
    body: <Markdown source={step.text} className="lesson-prose [&>p]:my-1" />,
  }));

  const header = (
    <div className="flex flex-wrap items-end justify-between gap-x-6 gap-y-2">
      <div className="min-w-0">
        <Link href="/scenarios" className="text-sm font-medium text-brand-700 hover:underline">
          ← All scenarios
        </Link>
        <div className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{scenario.title}</h1>
          <Badge className="capitalize">{scenario.difficulty}</Badge>
          <Badge>About {scenario.estimatedMinutes} minutes</Badge>
        </div>
      </div>
      <KeyboardHelp />
    </div>
  );

  const intro = (
    <Card className="flex flex-col gap-4 p-5">
      <p className="text-slate-700">{scenario.summary}</p>
      <div>
        <h2 className="text-base font-semibold text-slate-900">The situation</h2>
        <Markdown source={scenario.story} className="lesson-prose text-[0.95rem] [&>p:first-child]:mt-2" />
      </div>
      <div>
        <h2 className="text-base font-semibold text-slate-900">Objectives</h2>
        <ul className="mt-2 flex list-disc flex-col gap-1.5 pl-5 text-sm text-slate-800">
          {scenario.objectives.map((objective) => (
            <li key={objective}>{objective}</li>
          ))}
        </ul>
      </div>
    </Card>
  );

  const ownKubectl =
    practice.port !== 0 ? (
      <details className="rounded-xl border border-slate-200 bg-white p-5 text-sm text-slate-800 shadow-sm">
        <summary className="cursor-pointer text-base font-semibold text-slate-900">Use kubectl on your own machine</summary>
        <div className="mt-3 flex max-w-3xl flex-col gap-2">
          <p>
            <strong>Download kubeconfig</strong> gives the terminal&apos;s <code>~/.kube/config</code>. It points at{" "}
            <code>
              https://{practice.host}:{practice.port}
            </code>{" "}
            and carries <code>tls-server-name: &lt;your instance&gt;.instances.kubeprep.internal</code>: kubectl sends that name in the TLS
            handshake, which is how the server finds your cluster (nothing has to resolve it). The CA in it is your cluster&apos;s CA, as on
            a kubeadm cluster. Try <code>kubectl --kubeconfig kubeprep-{scenario.id}.kubeconfig get --raw /healthz</code>: it prints{" "}
            <code>ok</code>.
          </p>
          <p>
            Your machine must reach port {practice.port} on {practice.host}. If the app runs elsewhere (another host, a container, behind a
            proxy), the administrator sets <code>PRACTICE_API_HOST</code> to the address you reach it at and forwards the port as plain TCP.
          </p>
          <p>
            What you do with your own kubectl counts: the checks run again when you come back to this page, or with{" "}
            <strong>Check my cluster</strong>. Checks marked &ldquo;reads the web terminal&rdquo; look at the terminal&apos;s files or
            history: use <strong>Upload kubeconfig</strong>, or do that part in the terminal.
          </p>
        </div>
      </details>
    ) : null;

  return <ScenarioWorkspace scenarioId={scenario.id} steps={steps} header={header} intro={intro} ownKubectl={ownKubectl} />;
}
