/** Key pairs as PEM (PKCS#8 private, SPKI public) and their WebCrypto twins for @peculiar/x509. */
import "reflect-metadata";
import { createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto, type KeyObject } from "node:crypto";
import * as x509 from "@peculiar/x509";

// Node 20 exposes WebCrypto globally; @peculiar/x509 signs through it.
x509.cryptoProvider.set(globalThis.crypto);

export type KeyAlgorithm = "RSA" | "ECDSA";

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** RSA 2048 or ECDSA P-256, the defaults of kubeadm and of `openssl genrsa` / `ecparam -name prime256v1`. */
export function generateKeyPair(algorithm: KeyAlgorithm): KeyPairPem {
  const { privateKey, publicKey } =
    algorithm === "RSA" ? generateKeyPairSync("rsa", { modulusLength: 2048 }) : generateKeyPairSync("ec", { namedCurve: "P-256" });
  return {
    privateKeyPem: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
    publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
  };
}

interface WebAlgorithms {
  importAlgorithm: RsaHashedImportParams | EcKeyImportParams;
  signingAlgorithm: Algorithm | EcdsaParams;
}

function webAlgorithmsFor(key: KeyObject): WebAlgorithms {
  if (key.asymmetricKeyType === "rsa") {
    const rsa = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    return { importAlgorithm: rsa, signingAlgorithm: rsa };
  }
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === "secp384r1" ? "P-384" : curve === "secp521r1" ? "P-521" : "P-256";
    const hash = namedCurve === "P-384" ? "SHA-384" : namedCurve === "P-521" ? "SHA-512" : "SHA-256";
    return { importAlgorithm: { name: "ECDSA", namedCurve }, signingAlgorithm: { name: "ECDSA", hash } };
  }
  throw new Error(`unsupported key type ${String(key.asymmetricKeyType)}`);
}

export interface SigningKey {
  privateKey: CryptoKey;
  signingAlgorithm: Algorithm | EcdsaParams;
}

export async function importSigningKey(privateKeyPem: string): Promise<SigningKey> {
  const keyObject = createPrivateKey(privateKeyPem);
  const algorithms = webAlgorithmsFor(keyObject);
  const der = keyObject.export({ format: "der", type: "pkcs8" });
  const privateKey = await webcrypto.subtle.importKey("pkcs8", der, algorithms.importAlgorithm, true, ["sign"]);
  return { privateKey, signingAlgorithm: algorithms.signingAlgorithm };
}

export async function importPublicKey(publicKeyPem: string): Promise<CryptoKey> {
  const keyObject = createPublicKey(publicKeyPem);
  const algorithms = webAlgorithmsFor(keyObject);
  const der = keyObject.export({ format: "der", type: "spki" });
  return webcrypto.subtle.importKey("spki", der, algorithms.importAlgorithm, true, ["verify"]);
}

/** SPKI PEM of the public half of a private key. */
export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ format: "pem", type: "spki" }).toString();
}
