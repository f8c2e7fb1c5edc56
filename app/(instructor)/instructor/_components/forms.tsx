"use client";
import { useState, type FormEvent, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { Button, Field, FormAlert } from "../../../_components/ui";
import type { ActionResult } from "@/lib/auth/guard";
import {
  addInstructorAction,
  addStudentAction,
  assignExamAction,
  createCohortAction,
  removeAssignmentAction,
  removeMemberAction,
  revokeInvitationAction,
  rotateJoinCodeAction,
  updateAssignmentAction,
} from "../actions";

type Message = { tone: "error" | "success"; text: string; fields?: Partial<Record<string, string>> };

function useAction<T>(run: (input: unknown) => Promise<ActionResult<T>>, onDone?: (data: T) => string | void) {
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<Message | undefined>();
  const submit = async (input: unknown) => {
    setPending(true);
    setMessage(undefined);
    try {
      const result = await run(input);
      if (result.ok) setMessage({ tone: "success", text: onDone?.(result.data) ?? "Done." });
      else setMessage({ tone: "error", text: result.error, fields: result.fieldErrors });
      return result.ok;
    } finally {
      setPending(false);
    }
  };
  return { pending, message, submit };
}

function values(event: FormEvent<HTMLFormElement>): Record<string, string> {
  const data = new FormData(event.currentTarget);
  return Object.fromEntries([...data.entries()].map(([key, value]) => [key, typeof value === "string" ? value : ""]));
}

export function CreateCohortForm() {
  const router = useRouter();
  const { pending, message, submit } = useAction(createCohortAction, (data) => {
    router.push(`/instructor/cohorts/${data.id}/members`);
    return "Cohort created.";
  });
  const fieldError = (name: string) => message?.fields?.[name];
  return (
    <form
      aria-label="Create a cohort"
      className="flex flex-col gap-4"
      onSubmit={async (event) => {
        event.preventDefault();
        await submit(values(event));
      }}
    >
      <Field
        id="cohort-name"
        name="name"
        label="Name"
        required
        minLength={2}
        maxLength={120}
        error={fieldError("name")}
        placeholder="CKA spring cohort"
      />
      <Field id="cohort-description" name="description" label="Description (optional)" maxLength={1000} error={fieldError("description")} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="cohort-starts" name="startsAt" type="date" label="Starts (optional)" error={fieldError("startsAt")} />
        <Field id="cohort-ends" name="endsAt" type="date" label="Ends (optional)" error={fieldError("endsAt")} />
      </div>
      {message ? <FormAlert tone={message.tone}>{message.text}</FormAlert> : null}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create cohort"}
        </Button>
      </div>
    </form>
  );
}

export function AddByEmailForm({ cohortId, kind }: { cohortId: string; kind: "student" | "instructor" }) {
  const router = useRouter();
  const { pending, message, submit } = useAction(kind === "student" ? addStudentAction : addInstructorAction, (data) => {
    router.refresh();
    return data.message;
  });
  const id = `add-${kind}-email`;
  return (
    <form
      aria-label={kind === "student" ? "Invite a student by email" : "Add a co-instructor by email"}
      className="flex flex-col gap-3"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        if (await submit({ cohortId, email: values(event).email })) form.reset();
      }}
    >
      <Field
        id={id}
        name="email"
        type="email"
        required
        label={kind === "student" ? "Student email" : "Instructor email"}
        hint={
          kind === "student"
            ? "They accept or decline on their dashboard (also after signing up with this email). Until they accept you see only “invited”."
            : "The account must have the instructor role."
        }
        error={message?.fields?.email}
      />
      {message ? <FormAlert tone={message.tone}>{message.text}</FormAlert> : null}
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? (kind === "student" ? "Inviting…" : "Adding…") : kind === "student" ? "Invite student" : "Add co-instructor"}
        </Button>
      </div>
    </form>
  );
}

export function RemoveMemberButton({
  cohortId,
  userId,
  name,
  after,
  children,
}: {
  cohortId: string;
  userId: string;
  name: string;
  after?: string;
  children?: ReactNode;
}) {
  const router = useRouter();
  const { pending, message, submit } = useAction(removeMemberAction, (data) => {
    if (after) router.push(after);
    else router.refresh();
    return data.message;
  });
  return (
    <div className="flex flex-col items-start gap-2">
      <Button
        variant="danger"
        size="sm"
        disabled={pending}
        onClick={async () => {
          if (window.confirm(`Remove ${name} from this cohort? Their own progress is kept.`)) await submit({ cohortId, userId });
        }}
      >
        {children ?? `Remove ${name}`}
      </Button>
      {message ? <FormAlert tone={message.tone}>{message.text}</FormAlert> : null}
    </div>
  );
}

export function RevokeInvitationButton({ cohortId, invitationId, email }: { cohortId: string; invitationId: string; email: string }) {
  const router = useRouter();
  const { pending, message, submit } = useAction(revokeInvitationAction, (data) => {
    router.refresh();
    return data.message;
  });
  return (
    <div className="flex flex-col items-start gap-2">
      <Button
        variant="ghost"
        size="sm"
        disabled={pending}
        aria-label={`Revoke the invitation of ${email}`}
        onClick={() => submit({ cohortId, invitationId })}
      >
        Revoke
      </Button>
      {message?.tone === "error" ? <FormAlert tone="error">{message.text}</FormAlert> : null}
    </div>
  );
}

export function JoinLink({ cohortId, code }: { cohortId: string; code: string }) {
  const router = useRouter();
  const [current, setCurrent] = useState(code);
  const [copied, setCopied] = useState(false);
  const { pending, message, submit } = useAction(rotateJoinCodeAction, (data) => {
    setCurrent(data.joinCode);
    router.refresh();
    return "New join link made; the old one no longer works.";
  });
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const link = `${origin}/join/${current}`;
  return (
    <div className="flex flex-col gap-3">
      <label htmlFor="join-link" className="text-sm font-medium text-slate-800">
        Join link
      </label>
      <input
        id="join-link"
        readOnly
        value={link}
        className="h-10 w-full rounded-md border border-slate-300 bg-slate-50 px-3 font-mono text-sm"
        onFocus={(e) => e.currentTarget.select()}
      />
      <p className="text-sm text-slate-700">
        Join code: <code className="font-mono font-semibold">{current}</code>
      </p>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          size="sm"
          onClick={async () => {
            await navigator.clipboard.writeText(link);
            setCopied(true);
          }}
        >
          Copy link
        </Button>
        <Button
          variant="ghost"
          size="sm"
          disabled={pending}
          onClick={async () => {
            if (window.confirm("Make a new join link? The current link stops working.")) await submit({ cohortId });
          }}
        >
          New link
        </Button>
        <span role="status" className="text-sm text-green-800">
          {copied ? "Copied." : ""}
        </span>
      </div>
      {message ? <FormAlert tone={message.tone}>{message.text}</FormAlert> : null}
    </div>
  );
}

/** The two ends of an exam window, as datetime-local fields read as UTC (the server's reading, lib/cohorts/schemas.ts). */
function WindowFields({
  idPrefix,
  opensAt,
  closesAt,
  errors,
}: {
  idPrefix: string;
  opensAt?: string;
  closesAt?: string;
  errors?: Message["fields"];
}) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <Field
        id={`${idPrefix}-opens`}
        name="opensAt"
        type="datetime-local"
        label="Opens (UTC, optional)"
        defaultValue={opensAt}
        error={errors?.opensAt}
        hint="Empty: open now."
      />
      <Field
        id={`${idPrefix}-closes`}
        name="closesAt"
        type="datetime-local"
        label="Closes (UTC, optional)"
        defaultValue={closesAt}
        error={errors?.closesAt}
        hint="Empty: no end. Sittings started before it count."
      />
    </div>
  );
}

export function AssignExamForm({ cohortId, exams }: { cohortId: string; exams: { id: string; title: string; detail: string }[] }) {
  const router = useRouter();
  const { pending, message, submit } = useAction(assignExamAction, (data) => {
    router.refresh();
    return data.message;
  });
  // After the last exam is assigned the form goes, its message stays.
  if (exams.length === 0)
    return (
      <div className="flex flex-col gap-3">
        {message ? <FormAlert tone={message.tone}>{message.text}</FormAlert> : null}
        <p className="text-sm text-slate-700">Every exam is assigned to this cohort.</p>
      </div>
    );
  return (
    <form
      aria-label="Assign an exam"
      className="flex flex-col gap-4"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        if (await submit({ cohortId, ...values(event) })) form.reset();
      }}
    >
      <div className="flex flex-col gap-1.5">
        <label htmlFor="assign-exam" className="text-sm font-medium text-slate-800">
          Exam
        </label>
        <select
          id="assign-exam"
          name="examId"
          required
          aria-invalid={message?.fields?.examId ? true : undefined}
          className="h-10 max-w-full rounded-md border border-slate-300 bg-white px-2 text-slate-900"
        >
          {exams.map((exam) => (
            <option key={exam.id} value={exam.id}>
              {exam.title} ({exam.detail})
            </option>
          ))}
        </select>
        {message?.fields?.examId ? <p className="text-sm text-red-700">{message.fields.examId}</p> : null}
      </div>
      <WindowFields idPrefix="assign" errors={message?.fields} />
      {message ? <FormAlert tone={message.tone}>{message.text}</FormAlert> : null}
      <div>
        <Button type="submit" disabled={pending}>
          {pending ? "Assigning…" : "Assign exam"}
        </Button>
      </div>
    </form>
  );
}

export function AssignmentWindowForm({
  cohortId,
  assignmentId,
  title,
  opensAt,
  closesAt,
}: {
  cohortId: string;
  assignmentId: string;
  title: string;
  opensAt: string;
  closesAt: string;
}) {
  const router = useRouter();
  const { pending, message, submit } = useAction(updateAssignmentAction, (data) => {
    router.refresh();
    return data.message;
  });
  return (
    <form
      aria-label={`Window of ${title}`}
      className="flex flex-col gap-3"
      onSubmit={async (event) => {
        event.preventDefault();
        await submit({ cohortId, assignmentId, ...values(event) });
      }}
    >
      <WindowFields idPrefix={`window-${assignmentId}`} opensAt={opensAt} closesAt={closesAt} errors={message?.fields} />
      {message ? <FormAlert tone={message.tone}>{message.text}</FormAlert> : null}
      <div>
        <Button type="submit" variant="secondary" size="sm" disabled={pending}>
          {pending ? "Saving…" : "Save window"}
        </Button>
      </div>
    </form>
  );
}

export function RemoveAssignmentButton({ cohortId, assignmentId, title }: { cohortId: string; assignmentId: string; title: string }) {
  const router = useRouter();
  const { pending, message, submit } = useAction(removeAssignmentAction, (data) => {
    router.refresh();
    return data.message;
  });
  return (
    <div className="flex shrink-0 flex-col items-start gap-2">
      <Button
        variant="danger"
        size="sm"
        className="whitespace-nowrap"
        disabled={pending}
        onClick={async () => {
          if (window.confirm(`Remove “${title}” from this cohort? The students keep their sittings; they stop counting here.`))
            await submit({ cohortId, assignmentId });
        }}
      >
        Remove assignment
      </Button>
      {message?.tone === "error" ? <FormAlert tone="error">{message.text}</FormAlert> : null}
    </div>
  );
}
