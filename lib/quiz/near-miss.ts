/**
 * Why a short text answer that is almost right was not accepted, derived from how the grader
 * compares (`normalizeShortAnswer`): a look-alike character, spaces, a missing or extra prefix,
 * the wrong part of a ServiceAccount username, 401 against 403. It describes the difference and
 * never repeats the learner's text or names the expected value, so it gives away no more than the
 * feedback that carries it (which is only sent after an answer was submitted).
 *
 * Bounded: inputs longer than MAX_TEXT_LENGTH get no note; every comparison is linear.
 */
import { MAX_TEXT_LENGTH } from "./response";

/** Typographic characters that documents and chat tools put where a terminal has ASCII. */
const LOOKALIKES: Record<string, string> = {
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "-",
  "\u2013": "-",
  "\u2014": "-",
  "\u2212": "-",
  "\u00a0": " ",
  "\u2009": " ",
  "\u202f": " ",
  "\u2018": "'",
  "\u2019": "'",
  "\u201c": '"',
  "\u201d": '"',
  "\u2024": ".",
  "\u0430": "a",
  "\u0435": "e",
  "\u043e": "o",
  "\u0440": "p",
  "\u0441": "c",
  "\u0445": "x",
  "\u0443": "y",
  "\u0456": "i",
  "\u0458": "j",
  "\u0455": "s",
  "\u03bf": "o",
};
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/gu;

function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

function asciiLookalike(text: string): string {
  let out = "";
  for (const char of text.normalize("NFKC").replace(INVISIBLE, "")) out += LOOKALIKES[char] ?? char;
  return out;
}

function firstNonAscii(text: string): string | undefined {
  for (const char of text) if ((char.codePointAt(0) ?? 0) > 0x7e) return char;
  return undefined;
}

const SERVICE_ACCOUNT = /^system:(serviceaccounts?):([^:\s]+)(?::([^:\s]+))?$/;
const SEPARATORS = new Set([":", "#", "/"]);

function serviceAccountNote(given: string, accepted: string): string | undefined {
  const expected = SERVICE_ACCOUNT.exec(accepted);
  const mine = SERVICE_ACCOUNT.exec(given);
  if (!expected || !mine) return undefined;
  const [, expectedKind, expectedNamespace, expectedName] = expected;
  const [, kind, namespace, name] = mine;
  if (kind !== expectedKind) {
    return expectedKind === "serviceaccount"
      ? "`system:serviceaccounts:` (plural) starts the names of the ServiceAccount **groups**; a ServiceAccount's own username starts with `system:serviceaccount:` (singular)."
      : "`system:serviceaccount:` (singular) starts a ServiceAccount's username; the groups every ServiceAccount belongs to start with `system:serviceaccounts:` (plural).";
  }
  if (expectedName !== undefined && name !== undefined && namespace === expectedName && name === expectedNamespace) {
    return "The namespace comes first and the ServiceAccount name last: `system:serviceaccount:<namespace>:<name>`.";
  }
  if (namespace !== expectedNamespace && name === expectedName) {
    return "The namespace part is not the one in the question: a ServiceAccount username is `system:serviceaccount:<namespace>:<name>`, and RBAC matches the namespace too.";
  }
  if (namespace === expectedNamespace && name !== expectedName) {
    return expectedName === undefined || name === undefined
      ? "A ServiceAccount username has four parts, `system:serviceaccount:<namespace>:<name>`; the group of a namespace's ServiceAccounts has three."
      : "The ServiceAccount name part is not the one in the question: `system:serviceaccount:<namespace>:<name>`.";
  }
  return undefined;
}

function statusNote(given: string, accepted: string): string | undefined {
  const code = /^(?:http\s+)?([1-5][0-9][0-9])\b/.exec(given)?.[1];
  if (code === undefined || !/^[1-5][0-9][0-9]$/.test(accepted) || code === accepted) return undefined;
  const pair = new Set([code, accepted]);
  if (pair.has("401") && pair.has("403")) {
    return "401 and 403 are different answers: 401 Unauthorized means no authenticator accepted the credential (no identity at all); 403 Forbidden means the request was authenticated and then denied by authorization.";
  }
  return undefined;
}

function structureNote(given: string, accepted: string): string | undefined {
  if (given.length < accepted.length && accepted.endsWith(given) && SEPARATORS.has(accepted.charAt(accepted.length - given.length - 1))) {
    return "Your answer is the end of the expected value but leaves out what comes in front of it: the prefix (up to a `:`, `#` or `/`) is part of the name Kubernetes uses and RBAC compares.";
  }
  if (given.length > accepted.length && given.endsWith(accepted) && SEPARATORS.has(given.charAt(given.length - accepted.length - 1))) {
    return "Your answer has a prefix in front of the expected value that does not belong there.";
  }
  if (given.length >= 3 && given.length < accepted.length && accepted.startsWith(given)) {
    return "Your answer stops early: the expected value goes on after what you typed.";
  }
  return undefined;
}

/**
 * A note for a text answer that did not match. `given` and `accepted` are normalized the way the
 * grader compared them (lowercased unless the question is case-sensitive).
 */
export function explainNearMiss(given: string, accepted: readonly string[]): string | undefined {
  if (given === "" || given.length > MAX_TEXT_LENGTH) return undefined;
  for (const expected of accepted) {
    if (expected === "" || expected.length > MAX_TEXT_LENGTH) continue;
    const odd = firstNonAscii(given);
    if (odd !== undefined && firstNonAscii(expected) === undefined) {
      const lookalike = asciiLookalike(given) === expected;
      return lookalike
        ? `Your answer contains ${codePoint(odd)}, a character that only looks like the one expected (or is invisible). Names and flags are compared character for character: type them rather than pasting from a document.`
        : `Your answer contains ${codePoint(odd)}, which is not a plain ASCII character; the expected value has none.`;
    }
    if (given.replace(/\s+/g, "") === expected.replace(/\s+/g, "")) {
      return "Only the spaces differ, and they matter here: names and values are compared exactly, without spaces inside them.";
    }
    const note = serviceAccountNote(given, expected) ?? statusNote(given, expected) ?? structureNote(given, expected);
    if (note !== undefined) return note;
  }
  return undefined;
}
