import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "../../_components/ui";
import { SignUpForm } from "./signup-form";

export const metadata: Metadata = { title: "Create an account" };

export default function SignUpPage() {
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="text-2xl font-semibold text-slate-900">Create your account</h1>
        <p className="mt-1 text-sm text-slate-600">
          Already have one?{" "}
          <Link href="/signin" className="font-medium text-brand-700 underline">
            Sign in
          </Link>
        </p>
        <SignUpForm />
      </Card>
    </div>
  );
}
