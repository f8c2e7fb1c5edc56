/**
 * ServiceAccount signing keys (--service-account-signing-key-file / --service-account-key-file).
 * Key data is plain serializable JSON (PEM + JWK) so a cluster can be stored and restored.
 */
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject, type JsonWebKey } from "node:crypto";
import { describeKey, importPublicKeyFromPem, type VerificationKey } from "./jws";

export type ServiceAccountSigningAlg = "RS256" | "ES256";

export interface ServiceAccountSigningKey {
  alg: ServiceAccountSigningAlg;
  /** keyIDFromPublicKey: base64url(SHA-256(PKIX DER of the public key)), no padding. */
  kid: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
  publicJwk: JsonWebKey;
}

/** Kubernetes' keyIDFromPublicKey (pkg/serviceaccount/jwt.go). */
export function keyIdFromPublicKey(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("base64url");
}

export function createServiceAccountSigningKey(alg: ServiceAccountSigningAlg): ServiceAccountSigningKey {
  const pair = alg === "RS256" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = keyIdFromPublicKey(pair.publicKey);
  return {
    alg,
    kid,
    privateKeyPem: pair.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKeyPem: pair.publicKey.export({ type: "spki", format: "pem" }).toString(),
    publicJwk: { ...pair.publicKey.export({ format: "jwk" }), kid, alg, use: "sig" },
  };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * Key inputs the authenticator accepts: PEM text (a file may hold several public or private
 * keys, like --service-account-key-file) or a signing key object from createServiceAccountSigningKey.
 */
export type ServiceAccountKeyInput = string | Pick<ServiceAccountSigningKey, "publicKeyPem">;

/** Imported PEM blocks (the key export behind the kid is the expensive part); null: unusable block. */
const importedBlocks = new Map<string, VerificationKey | null>();
const MAX_IMPORTED_BLOCKS = 512;

function importBlock(block: string): VerificationKey | undefined {
  const known = importedBlocks.get(block);
  if (known !== undefined) return known ?? undefined;
  const publicKey = importPublicKeyFromPem(block);
  const described = publicKey ? describeKey(keyIdFromPublicKey(publicKey), publicKey) : undefined;
  if (importedBlocks.size >= MAX_IMPORTED_BLOCKS) importedBlocks.clear();
  importedBlocks.set(block, described ?? null);
  return described;
}

/** Imports every usable key (memoized per PEM block); unusable blocks are skipped (the apiserver would refuse to start). */
export function loadVerificationKeys(inputs: readonly ServiceAccountKeyInput[]): VerificationKey[] {
  const keys: VerificationKey[] = [];
  for (const input of inputs) {
    const text = typeof input === "string" ? input : input.publicKeyPem;
    for (const block of text.match(PEM_BLOCK) ?? []) {
      if (block.includes("CERTIFICATE")) continue;
      const described = importBlock(block);
      if (described) keys.push(described);
    }
  }
  return keys;
}

/** The public key of a signing key, e.g. to publish it or to build a verifier. */
export function publicKeyOf(key: Pick<ServiceAccountSigningKey, "privateKeyPem">): KeyObject {
  return createPublicKey(key.privateKeyPem);
}
