import { ButtonLink, Card } from "./_components/ui";

export default function Forbidden() {
  return (
    <Card className="mx-auto max-w-lg text-center">
      <h1 className="text-2xl font-semibold">403: not allowed</h1>
      <p className="mt-2 text-slate-700">Your account does not have access to this page. Ask an administrator if you think it should.</p>
      <ButtonLink href="/dashboard" className="mt-6" variant="secondary">
        Back to your dashboard
      </ButtonLink>
    </Card>
  );
}
