/** Key generation for genrsa, genpkey, ecparam and req -newkey: off the JavaScript thread and charged to the input's key budget. */
import { generateKeyPair, generateKeyPairSync, type KeyObject } from "node:crypto";
import { SHELL_LIMITS } from "../../limits";
import type { CommandContext } from "../../types";
import { OpensslError } from "./common";

let onCallingThread = false;

/**
 * Where keys are generated: by default off the JavaScript thread, on node's shared thread pool at
 * normal CPU priority. A thread that itself runs at the lowest priority (a slow lane of the learner
 * pool, lib/isolation/pool.ts) generates them on itself instead, so a repeat offender's keys cost
 * only CPU time nobody else wants.
 */
export function generateKeysOnCallingThread(on: boolean): void {
  onCallingThread = on;
}

/**
 * Key generation runs off the JavaScript thread (node:crypto's asynchronous generateKeyPair, unless
 * generateKeysOnCallingThread) and is charged to the input's key budget: at most two 4096-bit or
 * eight 2048-bit RSA keys per input.
 */
export async function generateKey(
  context: CommandContext,
  kind: "rsa" | "ec" | "ed25519",
  bits: number,
  curve: string,
): Promise<KeyObject> {
  if (context.budget && !context.budget.chargeKey(kind, bits)) {
    throw new OpensslError(
      `Error generating ${kind === "rsa" ? "RSA" : kind === "ec" ? "EC" : "ED25519"} key: this practice shell generates at most ${SHELL_LIMITS.maxKeyUnits} 2048-bit keys (or ${Math.floor(SHELL_LIMITS.maxKeyUnits / 4)} of 4096 bits) per input; generate the next one in a new command\n`,
    );
  }
  if (onCallingThread) {
    if (kind === "rsa") return generateKeyPairSync("rsa", { modulusLength: bits }).privateKey;
    if (kind === "ec") return generateKeyPairSync("ec", { namedCurve: curve }).privateKey;
    return generateKeyPairSync("ed25519", {}).privateKey;
  }
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, _publicKey: KeyObject, privateKey: KeyObject): void => (error ? reject(error) : resolve(privateKey));
    if (kind === "rsa") generateKeyPair("rsa", { modulusLength: bits }, done);
    else if (kind === "ec") generateKeyPair("ec", { namedCurve: curve }, done);
    else generateKeyPair("ed25519", {}, done);
  });
}

export function pkcs8(key: KeyObject): string {
  return key.export({ format: "pem", type: "pkcs8" }).toString();
}

export function progressDots(context: CommandContext): string {
  const bytes = context.random(24);
  let line = "";
  for (const byte of bytes) line += ".".repeat((byte % 7) + 1) + "+";
  return `${line}++++++++++++++++++++++++*\n`;
}
