import { beforeAll, describe, expect, it } from "vitest";
import type { ApiRequest } from "../types";
import { createSeededRandom } from "../clock";
import { createCertificateAuthority, issueCertificate } from "../pki/issue";
import { pemToDer } from "../pki/pem";
import { createAuthenticationChain, type AuthenticationChain } from "./chain";
import { createTokenFileAuthenticator } from "./token-file";
import { createX509Authenticator } from "./x509";

let chain: AuthenticationChain;
let leafDer: Uint8Array;
let caDer: Uint8Array;
const context = { now: new Date("2025-06-01T00:00:00Z"), apiAudiences: ["https://kubernetes.default.svc.cluster.local"] };

beforeAll(async () => {
  const ca = await createCertificateAuthority({
    commonName: "kubernetes",
    keyAlgorithm: "ECDSA",
    notBefore: new Date("2025-01-01T00:00:00Z"),
    notAfter: new Date("2026-01-01T00:00:00Z"),
  });
  const leaf = await issueCertificate({
    issuer: ca,
    subject: { commonName: "jane" },
    notBefore: new Date("2025-01-01T00:00:00Z"),
    notAfter: new Date("2026-01-01T00:00:00Z"),
  });
  leafDer = pemToDer(leaf.certPem) ?? new Uint8Array();
  caDer = pemToDer(ca.certPem) ?? new Uint8Array();
  chain = createAuthenticationChain({
    x509: createX509Authenticator({ clientCaBundlePem: ca.certPem }),
    tokenAuthenticators: [createTokenFileAuthenticator([{ token: "good", user: { name: "alice", uid: "1", groups: [], extra: {} } }])],
    anonymous: { enabled: true },
    apiAudiences: context.apiAudiences,
  });
});

describe("the chain never throws on malformed input", () => {
  it("mutated certificate chains and random Authorization headers", async () => {
    const random = createSeededRandom("authn-fuzz");
    const headerPieces = [
      "Bearer",
      "bearer",
      " ",
      "  ",
      "good",
      "\t",
      "x".repeat(70_000),
      "eyJhbGciOiJub25lIn0.e30.",
      "Basic",
      "\u0000",
      "é",
    ];
    for (let i = 0; i < 2500; i++) {
      const certs: Uint8Array[] = [];
      const count = random.int(3);
      for (let c = 0; c < count; c++) {
        const source = random.int(2) === 0 ? leafDer : caDer;
        const mutated = Uint8Array.from(source.subarray(0, source.length - random.int(3)));
        if (random.int(2) === 0) mutated[random.int(mutated.length)] = random.int(256);
        certs.push(mutated);
      }
      let header = "";
      for (let h = 0; h < random.int(4); h++) header += headerPieces[random.int(headerPieces.length)];
      const request: ApiRequest = {
        method: "GET",
        url: random.int(2) ? "/healthz" : "/api?x=%zz",
        headers: random.int(3) ? { authorization: header } : { authorization: [header, "Bearer good"] },
        tls: random.int(5) !== 0,
        peerCertificates: certs,
      };
      const decision = await chain.authenticate(request, context);
      expect(Array.isArray(decision.trace)).toBe(true);
      expect(decision.trace.length).toBeGreaterThan(0);
    }
  });
});
