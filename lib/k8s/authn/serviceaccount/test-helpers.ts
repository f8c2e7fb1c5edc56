/** Shared fixtures for the ServiceAccount tests: an in-memory lookup and a deterministic random source. */
import { createHash } from "node:crypto";
import type { LookupNode, LookupPod, LookupSecret, LookupServiceAccount, ServiceAccountLookup } from "./lookup";

export interface MemoryLookup extends ServiceAccountLookup {
  serviceAccounts: Map<string, LookupServiceAccount>;
  secrets: Map<string, LookupSecret>;
  pods: Map<string, LookupPod>;
  nodes: Map<string, LookupNode>;
}

export function memoryLookup(): MemoryLookup {
  const serviceAccounts = new Map<string, LookupServiceAccount>();
  const secrets = new Map<string, LookupSecret>();
  const pods = new Map<string, LookupPod>();
  const nodes = new Map<string, LookupNode>();
  return {
    serviceAccounts,
    secrets,
    pods,
    nodes,
    getServiceAccount: (namespace, name) => serviceAccounts.get(`${namespace}/${name}`),
    getSecret: (namespace, name) => secrets.get(`${namespace}/${name}`),
    getPod: (namespace, name) => pods.get(`${namespace}/${name}`),
    getNode: (name) => nodes.get(name),
  };
}

/** Deterministic bytes from a seed (counter-mode SHA-256). */
export function seededRandom(seed: string): (size: number) => Uint8Array {
  let counter = 0;
  return (size) => {
    const out = Buffer.alloc(size);
    let offset = 0;
    while (offset < size) {
      const block = createHash("sha256").update(`${seed}:${counter++}`).digest();
      offset += block.copy(out, offset);
    }
    return out;
  };
}

const b64 = (text: string): string => Buffer.from(text).toString("base64url");

/** Malformed tokens derived from a valid one: fixed nasty cases plus seeded random mutations. */
export function malformedTokens(valid: string, issuer: string, count: number, seed: string): string[] {
  const random = seededRandom(seed);
  const [header = "", payload = "", signature = ""] = valid.split(".");
  const fixed = [
    "",
    ".",
    "..",
    "...",
    "a.b.c",
    `${header}.${payload}`,
    `${header}.${payload}.${signature}.x`,
    `${b64('{"alg":"none"}')}.${payload}.`,
    `${b64('{"alg":"HS256"}')}.${payload}.${signature}`,
    `${b64("[]")}.${payload}.${signature}`,
    `${b64('{"alg":5,"kid":[]}')}.${payload}.${signature}`,
    `${header}.${b64("not json")}.${signature}`,
    `${header}.${b64(JSON.stringify({ iss: 5 }))}.${signature}`,
    `${header}.${b64(JSON.stringify({ iss: issuer, exp: "x", aud: 7, "kubernetes.io": "str" }))}.${signature}`,
    `${header}.${b64(`{"iss":"${issuer}","x":${"[".repeat(20000)}${"]".repeat(20000)}}`)}.${signature}`,
    `${header}.${b64(`{"iss":"${issuer}","x":${"[".repeat(5000)}${"]".repeat(5000)}}`)}.${signature}`,
    `${header}.${b64(JSON.stringify({ iss: issuer, pad: "x".repeat(1_000_000) }))}.${signature}`,
    `${header}.${payload}.${signature}==`,
    `${header}=.${payload}.${signature}`,
    ` ${valid}`,
    `{${valid}`,
  ];
  const out = [...fixed];
  for (let i = 0; out.length < count; i++) {
    const bytes = random(4);
    const mode = (bytes[0] ?? 0) % 5;
    const position = ((bytes[1] ?? 0) * 256 + (bytes[2] ?? 0)) % Math.max(valid.length, 1);
    if (mode === 0) out.push(valid.slice(0, position));
    else if (mode === 1) out.push(valid.slice(0, position) + String.fromCharCode(bytes[3] ?? 0) + valid.slice(position + 1));
    else if (mode === 2) out.push(Buffer.from(random(1 + (position % 300))).toString("latin1"));
    else if (mode === 3) out.push(`${header}.${b64(Buffer.from(random(1 + (position % 80))).toString("latin1"))}.${signature}`);
    else out.push(`${header}.${payload}.${Buffer.from(random(position % 300)).toString("base64url")}`);
  }
  return out;
}
