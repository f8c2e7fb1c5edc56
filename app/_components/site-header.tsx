"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { Button, ButtonLink } from "./button";
import { navigationFor } from "./navigation";
import { signOutTo, useViewer } from "./providers";

export function SiteHeader() {
  const user = useViewer();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const links = navigationFor(user?.role);

  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-16 max-w-6xl items-center gap-6 px-4 sm:px-6">
        <Link href={user ? "/dashboard" : "/"} className="flex items-center gap-2 text-lg font-semibold text-slate-900">
          <span aria-hidden="true" className="grid h-8 w-8 place-items-center rounded-md bg-brand-700 font-mono text-sm text-white">
            k8
          </span>
          kubeprep
        </Link>
        <nav aria-label="Main" className="hidden flex-1 md:block">
          <ul className="flex gap-1">
            {links.map((link) => (
              <li key={link.href}>
                <Link
                  href={link.href}
                  aria-current={pathname.startsWith(link.href) ? "page" : undefined}
                  className={`rounded-md px-3 py-2 text-sm font-medium ${pathname.startsWith(link.href) ? "bg-brand-50 text-brand-800" : "text-slate-700 hover:bg-slate-100"}`}
                >
                  {link.label}
                  <DueCount href={link.href} count={user?.reviewDue} />
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="ml-auto hidden items-center gap-3 md:flex">
          {user ? (
            <>
              <Link href="/account" className="text-sm text-slate-700 hover:underline">
                {user.name}
              </Link>
              <Button variant="secondary" size="sm" onClick={() => signOutTo("/")}>
                Sign out
              </Button>
            </>
          ) : (
            <>
              <ButtonLink href="/signin" variant="ghost" size="sm">
                Sign in
              </ButtonLink>
              <ButtonLink href="/signup" size="sm">
                Sign up
              </ButtonLink>
            </>
          )}
        </div>
        <Button
          variant="ghost"
          size="sm"
          className="ml-auto md:hidden"
          aria-expanded={open}
          aria-controls="mobile-menu"
          onClick={() => setOpen((value) => !value)}
        >
          Menu
          {/* On phones the Review link is inside the menu; its count shows on the button too. */}
          <DueCount href="/review" count={user?.reviewDue} />
        </Button>
      </div>
      {open ? (
        <nav id="mobile-menu" aria-label="Main (mobile)" className="border-t border-slate-200 px-4 py-3 md:hidden">
          <ul className="flex flex-col gap-1">
            {links.map((link) => (
              <li key={link.href}>
                <Link
                  href={link.href}
                  onClick={() => setOpen(false)}
                  className="block rounded-md px-3 py-2 text-slate-800 hover:bg-slate-100"
                >
                  {link.label}
                  <DueCount href={link.href} count={user?.reviewDue} />
                </Link>
              </li>
            ))}
            {user ? (
              <>
                <li>
                  <Link
                    href="/account"
                    onClick={() => setOpen(false)}
                    className="block rounded-md px-3 py-2 text-slate-800 hover:bg-slate-100"
                  >
                    Account ({user.name})
                  </Link>
                </li>
                <li>
                  <button
                    type="button"
                    onClick={() => signOutTo("/")}
                    className="w-full rounded-md px-3 py-2 text-left text-slate-800 hover:bg-slate-100"
                  >
                    Sign out
                  </button>
                </li>
              </>
            ) : (
              <>
                <li>
                  <Link href="/signin" className="block rounded-md px-3 py-2 text-slate-800 hover:bg-slate-100">
                    Sign in
                  </Link>
                </li>
                <li>
                  <Link href="/signup" className="block rounded-md px-3 py-2 text-slate-800 hover:bg-slate-100">
                    Sign up
                  </Link>
                </li>
              </>
            )}
          </ul>
        </nav>
      ) : null}
    </header>
  );
}

/** The number of review cards due now, beside the Review link. */
function DueCount({ href, count }: { href: string; count: number | undefined }) {
  if (href !== "/review" || !count) return null;
  return (
    <>
      {" "}
      <span className="ml-0.5 inline-flex min-w-5 justify-center rounded-full bg-brand-700 px-1.5 text-xs font-semibold leading-5 text-white">
        {count}
        <span className="sr-only"> due</span>
      </span>
    </>
  );
}
