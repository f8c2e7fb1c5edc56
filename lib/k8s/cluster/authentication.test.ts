import { describe, expect, it } from "vitest";
import { handleRequest } from "../api/handle-request";
import { bodyJson, bodyText, request, START } from "../api/test-helpers";
import { createCluster } from "../setup/create-cluster";
import { identityProviderFrom } from "./jwt-authenticators";
import type { ClusterState } from "./state";

const WHOAMI_JSON = '{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}';

function whoami(state: ClusterState, token: string) {
  return handleRequest(
    state,
    request(state, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {
      token,
      contentType: "application/json",
      body: WHOAMI_JSON,
    }),
  );
}

async function idToken(state: ClusterState, claims: Record<string, unknown>): Promise<string> {
  const config = state.config.identityProviders[0];
  if (config === undefined) throw new Error("no identity provider");
  return identityProviderFrom(config).issueIdToken({ claims, now: new Date(state.clock.nowMs) });
}

describe("cluster authenticators", () => {
  it("--oidc-* flags: ID tokens from the simulated IdP authenticate with the issuer# prefix", async () => {
    const state = await createCluster({
      start: START,
      identityProviders: [{ issuer: "https://idp.example" }],
      oidc: { flags: { issuerUrl: "https://idp.example", clientId: "kubeprep", groupsClaim: "groups", groupsPrefix: "oidc:" } },
    });
    const token = await idToken(state, { sub: "alice", aud: "kubeprep", groups: ["devs"] });
    const { response } = await whoami(state, token);
    expect(response.status).toBe(201);
    expect(bodyJson(response).status).toEqual({
      userInfo: { username: "https://idp.example#alice", groups: ["oidc:devs", "system:authenticated"] },
    });
    const wrongAudience = await idToken(state, { sub: "alice", aud: "other" });
    const rejected = await whoami(state, wrongAudience);
    expect(rejected.response.status).toBe(401);
    expect(rejected.trace.map((step) => step.message).join("\n")).toContain('oidc: expected audience "kubeprep" got ["other"]');
  });

  it("AuthenticationConfiguration: JWT authenticators and anonymous limited to health endpoints", async () => {
    const yaml = [
      "apiVersion: apiserver.config.k8s.io/v1beta1",
      "kind: AuthenticationConfiguration",
      "jwt:",
      "- issuer:",
      "    url: https://idp.example",
      "    audiences: [kubeprep]",
      "  claimMappings:",
      "    username:",
      "      claim: sub",
      '      prefix: ""',
      "anonymous:",
      "  enabled: true",
      "  conditions:",
      "  - path: /healthz",
    ].join("\n");
    const state = await createCluster({
      start: START,
      identityProviders: [{ issuer: "https://idp.example", algorithm: "ES256" }],
      oidc: { authenticationConfigYaml: yaml },
    });
    const token = await idToken(state, { sub: "bob", aud: "kubeprep" });
    expect(bodyJson((await whoami(state, token)).response).status).toEqual({
      userInfo: { username: "bob", groups: ["system:authenticated"] },
    });
    const health = await handleRequest(state, request(state, "GET", "/healthz"));
    expect(bodyText(health.response)).toBe("ok");
    const api = await handleRequest(state, request(state, "GET", "/livez"));
    expect(api.response.status).toBe(401);
  });

  it("--anonymous-auth=false turns a credential-less request into 401", async () => {
    const state = await createCluster({ start: START, anonymousAuth: false });
    const { response } = await handleRequest(state, request(state, "GET", "/healthz"));
    expect(response.status).toBe(401);
  });

  it("reports start-up problems (a bad token file) in the trace instead of failing", async () => {
    const state = await createCluster({ start: START, tokenFile: "onlytwo,columns\n" });
    const { trace } = await handleRequest(state, request(state, "GET", "/healthz"));
    expect(trace[0]).toMatchObject({ stage: "startup", outcome: "error" });
    expect(trace[0]?.message).toContain("must have at least 3 columns");
  });
});
