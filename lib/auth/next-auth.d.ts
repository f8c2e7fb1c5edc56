import type { RoleName } from "../accounts/schemas";

declare module "next-auth" {
  interface Session {
    userId?: string;
    /** For showing the right navigation only; every page and route checks the role on the server. */
    role?: RoleName;
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    /** The user's session version when this session was issued (lib/auth/session.ts). */
    sv?: number;
    /** Issued with a password that must be changed first (the proxy sends every page there). */
    pw?: boolean;
  }
}
