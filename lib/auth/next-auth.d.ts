import type { RoleName } from "../accounts/schemas";

declare module "next-auth" {
  interface Session {
    userId?: string;
    /** For showing the right navigation only; every page and route checks the role on the server. */
    role?: RoleName;
  }
}
