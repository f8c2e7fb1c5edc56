"use client";
// A modal on the native <dialog>: the page behind it is inert (focus stays inside) and Esc cancels.
import { useEffect, useRef, type ReactNode } from "react";

export function Modal({
  open,
  labelledBy,
  onCancel,
  children,
  className = "",
}: {
  open: boolean;
  labelledBy: string;
  onCancel: () => void;
  children: ReactNode;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={labelledBy}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      className={`m-auto w-[calc(100%-2rem)] rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/60 ${className}`}
    >
      {open ? children : null}
    </dialog>
  );
}
