"use client";
import { createContext, useContext, type ReactNode } from "react";
import { config as zodConfig } from "zod/v4/core";
import type { RoleName } from "@/lib/accounts/schemas";

// Zod compiles fast parsers with `new Function` when it may; the Content-Security-Policy
// (proxy.ts) forbids eval, and zod's probe for it would be reported as a violation. Only the
// config function is imported here: the rest of zod loads with the pages whose forms use it.
zodConfig({ jitless: true });

/** Who is signed in, as the server saw it when it rendered the page (null: nobody). */
export interface Viewer {
  name: string;
  role: RoleName;
  /** Spaced-review cards due now (the navigation's count). */
  reviewDue?: number;
}

const ViewerContext = createContext<Viewer | null>(null);

// The session is read on the server (app/layout.tsx), so no session library ships with every
// page and nothing flickers from "Sign in" to the user's name. Signing in or out reloads or
// refreshes the page, which renders the layout again.
export function Providers({ viewer, children }: { viewer: Viewer | null; children: ReactNode }) {
  return <ViewerContext value={viewer}>{children}</ViewerContext>;
}

export function useViewer(): Viewer | null {
  return useContext(ViewerContext);
}

/** Signs out through next-auth (loaded on click, not with every page) and goes to `callbackUrl`. */
export async function signOutTo(callbackUrl: string): Promise<void> {
  const { signOut } = await import("next-auth/react");
  await signOut({ callbackUrl });
}
