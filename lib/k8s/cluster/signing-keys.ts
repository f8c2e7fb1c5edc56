/** The ServiceAccount signing key's derived identity (alg, kid), memoized per PEM. */
import { keyIdFromPublicKey, publicKeyOf } from "../authn/serviceaccount";

export interface ServiceAccountSigningKeyData {
  alg: "RS256" | "ES256";
  kid: string;
  privateKeyPem: string;
}

const memo = new Map<string, ServiceAccountSigningKeyData>();

export function serviceAccountSigningKey(privateKeyPem: string): ServiceAccountSigningKeyData {
  const cached = memo.get(privateKeyPem);
  if (cached !== undefined) return cached;
  const publicKey = publicKeyOf({ privateKeyPem });
  const data: ServiceAccountSigningKeyData = {
    alg: publicKey.asymmetricKeyType === "ec" ? "ES256" : "RS256",
    kid: keyIdFromPublicKey(publicKey),
    privateKeyPem,
  };
  if (memo.size > 500) memo.clear();
  memo.set(privateKeyPem, data);
  return data;
}
