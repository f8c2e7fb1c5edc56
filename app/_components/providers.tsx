"use client";
import type { ReactNode } from "react";
import { SessionProvider } from "next-auth/react";
import { z } from "zod";

// Zod compiles fast parsers with `new Function` when it may; the Content-Security-Policy
// (proxy.ts) forbids eval, and zod's probe for it would be reported as a violation.
z.config({ jitless: true });

export function Providers({ children }: { children: ReactNode }) {
  return <SessionProvider refetchOnWindowFocus={false}>{children}</SessionProvider>;
}
