import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { EmailTakenError, LastAdminError, WrongPasswordError } from "@/lib/accounts/users";
import { RateLimitedError } from "@/lib/auth/rate-limit-policy";
import { LearnerJobStopped } from "@/lib/isolation/pool";
import { DomainError, jsonError } from "./errors";

async function answer(error: unknown) {
  const response = jsonError(error);
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as unknown };
}

describe("jsonError, the one mapping of errors to responses", () => {
  it("answers each domain error with the status it carries and its message", async () => {
    expect(await answer(new EmailTakenError())).toEqual({
      status: 409,
      retryAfter: null,
      body: {
        error: "An account with this email already exists. Sign in instead.",
        details: { email: "An account with this email already exists. Sign in instead." },
      },
    });
    expect(await answer(new LastAdminError())).toEqual({
      status: 409,
      retryAfter: null,
      body: { error: "This is the last administrator; make someone else an administrator first." },
    });
    expect(await answer(new WrongPasswordError())).toMatchObject({ status: 422, body: { error: "The current password is not correct." } });
    expect(await answer(new RateLimitedError(7))).toMatchObject({ status: 429, retryAfter: "7" });
    expect(await answer(new DomainError(404, "No such scenario."))).toEqual({
      status: 404,
      retryAfter: null,
      body: { error: "No such scenario." },
    });
  });

  it("answers a stopped learner job 503 with Retry-After when the pool is full, else 422, never 500", async () => {
    expect(await answer(new LearnerJobStopped("busy", "the simulator is busy"))).toEqual({
      status: 503,
      retryAfter: "5",
      body: { error: "the simulator is busy" },
    });
    for (const reason of ["deadline", "memory", "crashed"] as const) {
      expect(await answer(new LearnerJobStopped(reason, "stopped"))).toMatchObject({ status: 422, retryAfter: null });
    }
  });

  it("recognises a domain error thrown by another copy of this module (the pool under npm start)", async () => {
    const foreign = Object.assign(new Error("busy"), {
      [Symbol.for("kubeprep.DomainError")]: true,
      status: 503,
      headers: { "Retry-After": "5" },
    });
    expect(foreign instanceof DomainError).toBe(true);
    expect(await answer(foreign)).toMatchObject({ status: 503, retryAfter: "5" });
    // Subclasses keep the ordinary check.
    expect(new DomainError(409, "x") instanceof EmailTakenError).toBe(false);
    expect(new EmailTakenError() instanceof EmailTakenError).toBe(true);
  });

  it("answers invalid input 422 with field errors, and anything else a logged 500 without details", async () => {
    const zodError = z.object({ name: z.string() }).safeParse({}).error;
    expect(await answer(zodError)).toMatchObject({
      status: 422,
      body: { error: "Invalid input.", details: { name: [expect.any(String)] } },
    });
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(await answer(new Error("secret internals"))).toEqual({
      status: 500,
      retryAfter: null,
      body: { error: "Something went wrong on our side." },
    });
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
  });
});
