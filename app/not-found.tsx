import { ButtonLink, Card } from "./_components/ui";

export default function NotFound() {
  return (
    <Card className="mx-auto max-w-lg text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-700">There is nothing at this address.</p>
      <ButtonLink href="/" className="mt-6" variant="secondary">
        Home
      </ButtonLink>
    </Card>
  );
}
