import type { RoleName } from "@/lib/accounts/schemas";
import { mayEnter } from "@/lib/auth/policy";

export interface NavLink {
  href: string;
  label: string;
}

/** The main navigation for a role (undefined: signed out). Pages check access on the server. */
export function navigationFor(role: RoleName | undefined): NavLink[] {
  const links: NavLink[] = [
    { href: "/learn", label: "Learn" },
    { href: "/scenarios", label: "Scenarios" },
  ];
  if (!role) return links;
  links.unshift({ href: "/dashboard", label: "Dashboard" });
  links.push({ href: "/exams", label: "Exams" }, { href: "/review", label: "Review" }, { href: "/progress", label: "Progress" });
  if (mayEnter(role, "instructor")) links.push({ href: "/instructor", label: "Instructor" });
  if (mayEnter(role, "admin")) links.push({ href: "/admin/users", label: "Admin" });
  return links;
}
