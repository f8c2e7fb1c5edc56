"use client";
// The header's due count is rendered by the root layout, which client-side navigation keeps: after a
// review changed the count, render the server components again so the header shows the new one.
import { useRouter } from "next/navigation";
import { useEffect } from "react";

export function RefreshHeader() {
  const router = useRouter();
  useEffect(() => {
    router.refresh();
  }, [router]);
  return null;
}
