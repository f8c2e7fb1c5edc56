import { describe, expect, it } from "vitest";
import { alreadyExistsStatus, invalidStatus, notFoundStatus, statusJson, unauthorizedStatus } from "./status";

describe("metav1.Status bodies", () => {
  it("401 is byte for byte the apiserver's", () => {
    expect(statusJson(unauthorizedStatus())).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}',
    );
  });

  it("NotFound and AlreadyExists use apimachinery wording and details order", () => {
    expect(statusJson(notFoundStatus("pods", "", "web"))).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"web\\" not found","reason":"NotFound","details":{"name":"web","kind":"pods"},"code":404}',
    );
    expect(statusJson(alreadyExistsStatus("serviceaccounts", "", "builder"))).toContain(
      '"message":"serviceaccounts \\"builder\\" already exists","reason":"AlreadyExists","details":{"name":"builder","kind":"serviceaccounts"},"code":409',
    );
    expect(statusJson(notFoundStatus("certificatesigningrequests", "certificates.k8s.io", "x"))).toContain(
      '"message":"certificatesigningrequests.certificates.k8s.io \\"x\\" not found","reason":"NotFound","details":{"name":"x","group":"certificates.k8s.io","kind":"certificatesigningrequests"}',
    );
  });

  it("Invalid aggregates field errors like NewInvalid", () => {
    const status = invalidStatus("TokenRequest", "authentication.k8s.io", "", [
      { type: "Invalid value", field: "spec.expirationSeconds", badValue: 60, detail: "may not specify a duration less than 10 minutes" },
    ]);
    expect(status.message).toBe(
      'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes',
    );
    expect(statusJson(status)).toContain(
      '"details":{"group":"authentication.k8s.io","kind":"TokenRequest","causes":[{"reason":"FieldValueInvalid","message":"Invalid value: 60: may not specify a duration less than 10 minutes","field":"spec.expirationSeconds"}]},"code":422',
    );
    const two = invalidStatus("Pod", "", "p", [
      { type: "Required value", field: "spec.containers", detail: "" },
      { type: "Invalid value", field: "metadata.name", badValue: "A", detail: "bad" },
    ]);
    expect(two.message).toBe('Pod "p" is invalid: [spec.containers: Required value, metadata.name: Invalid value: "A": bad]');
  });
});
