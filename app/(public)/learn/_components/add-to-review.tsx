"use client";
// "Add to review" under an answered question: the question becomes (or stays) a spaced-review card, due now.
import Link from "next/link";
import { useState } from "react";
import { Button } from "../../../_components/button";
import { post } from "./question-card";

export function AddToReview({ questionId }: { questionId: string }) {
  const [state, setState] = useState<{ name: "idle" | "busy" | "added" } | { name: "error"; message: string }>({ name: "idle" });
  if (state.name === "added")
    return (
      <span role="status" className="text-sm text-slate-800">
        In your review, due now.{" "}
        <Link href="/review" className="font-medium text-brand-700 underline">
          Open Review
        </Link>
      </span>
    );
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Button
        variant="ghost"
        disabled={state.name === "busy"}
        onClick={() => {
          setState({ name: "busy" });
          void post<{ cardId: string }>("/api/review/cards", { questionId }).then((result) =>
            setState(result.ok ? { name: "added" } : { name: "error", message: result.error }),
          );
        }}
      >
        Add to review
      </Button>
      {state.name === "error" ? (
        <span role="alert" className="text-sm text-red-700">
          {state.message}
        </span>
      ) : null}
    </span>
  );
}
