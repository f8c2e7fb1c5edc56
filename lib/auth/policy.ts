import type { RoleName } from "../accounts/schemas";

/** The areas of the product and the roles that may enter each. The one place this is decided. */
export const AREA_ROLES = {
  student: ["STUDENT", "INSTRUCTOR", "ADMIN"],
  instructor: ["INSTRUCTOR", "ADMIN"],
  admin: ["ADMIN"],
} as const satisfies Record<string, readonly RoleName[]>;

export type Area = keyof typeof AREA_ROLES;

export function mayEnter(role: RoleName, area: Area): boolean {
  return (AREA_ROLES[area] as readonly RoleName[]).includes(role);
}
