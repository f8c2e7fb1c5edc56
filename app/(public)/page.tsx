import { ButtonLink, Card } from "../_components/ui";

const pillars = [
  {
    title: "Real credentials, simulated cluster",
    body: "Scenarios hand you genuine X.509 certificates, ServiceAccount tokens and OIDC ID tokens. The practice API server verifies them with real cryptography and answers exactly as a Kubernetes 1.32 API server would.",
  },
  {
    title: "Why was I rejected?",
    body: "Every request can show the authenticator chain: which authenticator looked at your credential, what it concluded, and how that became a 401, an anonymous request or a user. A real cluster only writes this to its server log.",
  },
  {
    title: "Lessons and quizzes that stick",
    body: "Short lessons, questions graded on the server with explanations after you answer, review of what you missed, and progress that follows you across devices.",
  },
];

export default function HomePage() {
  return (
    <div className="flex flex-col gap-16">
      <section className="grid gap-10 pt-6 lg:grid-cols-[1.2fr_1fr] lg:items-center">
        <div>
          <p className="mb-3 text-sm font-semibold uppercase tracking-wide text-brand-700">CKA · CKAD · CKS preparation</p>
          <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">
            Understand why Kubernetes says <span className="font-mono text-brand-700">401</span>, not just how to fix it.
          </h1>
          <p className="mt-5 max-w-xl text-lg text-slate-700">
            kubeprep teaches how the API server establishes identity (kubeconfig, client certificates, ServiceAccount tokens, OIDC) with
            lessons, server-graded quizzes and hands-on scenarios in a browser terminal.
          </p>
          <div className="mt-8 flex flex-wrap gap-3">
            <ButtonLink href="/signup" size="lg">
              Create a free account
            </ButtonLink>
            <ButtonLink href="/learn" size="lg" variant="secondary">
              Read the lessons
            </ButtonLink>
          </div>
        </div>
        <Card className="bg-slate-900 font-mono text-sm whitespace-pre-wrap text-slate-100" aria-label="Example terminal session">
          <p>
            <span className="text-green-300">$</span> kubectl auth whoami
          </p>
          <p className="mt-1 text-red-300">error: You must be logged in to the server (Unauthorized)</p>
          <p className="mt-4 text-slate-300"># why? x509: certificate has expired or is not yet valid</p>
          <p className="text-slate-300"># … jane's certificate renewed, then:</p>
          <p className="mt-4">
            <span className="text-green-300">$</span> kubectl auth whoami
          </p>
          {/* kubectl's own column spacing (whitespace-pre-wrap keeps it). */}
          <p className="mt-1">{"ATTRIBUTE   VALUE"}</p>
          <p>{"Username    jane"}</p>
          <p>{"Groups      [dev-team system:authenticated]"}</p>
        </Card>
      </section>
      <section aria-labelledby="pillars" className="grid gap-6 md:grid-cols-3">
        <h2 id="pillars" className="sr-only">
          What makes kubeprep different
        </h2>
        {pillars.map((pillar) => (
          <Card key={pillar.title}>
            <h3 className="text-lg font-semibold text-slate-900">{pillar.title}</h3>
            <p className="mt-2 text-slate-700">{pillar.body}</p>
          </Card>
        ))}
      </section>
    </div>
  );
}
