import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { connection } from "next/server";
import "./globals.css";
import { getCurrentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { dueCount } from "@/lib/review/cards";
import { Providers } from "./_components/providers";
import { SiteHeader } from "./_components/site-header";

export const metadata: Metadata = {
  title: { default: "kubeprep: Kubernetes certification prep that explains why", template: "%s · kubeprep" },
  description:
    "Lessons, quizzes and hands-on scenarios for CKA, CKAD and CKS, on a simulated cluster that checks real certificates and tokens and tells you why a request was rejected.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: its scripts carry the request's CSP nonce (proxy.ts), which
  // a page prerendered at build time could not know.
  await connection();
  const user = await getCurrentUser();
  const reviewDue = user ? await dueCount(db(), user.id) : 0;
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <Providers viewer={user ? { name: user.name, role: user.role, reviewDue } : null}>
          <SiteHeader />
          <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8 sm:px-6">
            {children}
          </main>
        </Providers>
        <footer className="mx-auto max-w-6xl px-4 py-10 text-sm text-slate-600 sm:px-6">
          kubeprep · Kubernetes 1.32 identity, explained. Not affiliated with the CNCF or the Linux Foundation.
        </footer>
      </body>
    </html>
  );
}
