/**
 * Every short-answer question of the course, graded as a learner would type it: the forms that
 * must be accepted and the near-misses that must be rejected (wrong name, wrong namespace,
 * missing flag). A new short-answer question must get its table here (the last test checks).
 */
import { describe, expect, it } from "vitest";
import { getQuestion, loadCourse } from "@/lib/content/load";
import { gradeAnswer } from "./grade";

const TABLES: Record<string, { accept: string[]; reject: string[] }> = {
  "kubeconfig-view-minify-raw": {
    accept: [
      "kubectl config view --minify --raw",
      "kubectl config view --raw --minify",
      "kubectl config view --minify=true --raw=true",
      "kubectl config view --minify --flatten",
      "kubectl config view --flatten --minify",
      "kubectl config view --minify --flatten --raw",
      "k config view --minify --raw",
      "kubectl config view --minify --raw --flatten=false",
      "kubectl config view --minify --raw -o yaml",
      "$ kubectl config view --minify --raw",
      "`kubectl config view --minify --raw`",
    ],
    reject: [
      "kubectl config view --minify",
      "kubectl config view --raw",
      "kubectl config view --flatten",
      "kubectl config view --minify --raw=false",
      "kubectl config view --minify --raw --context other",
      "kubectl config get-contexts --minify --raw",
      "kubectl config view --minify --raw | grep token",
      "kubectl config view --minify --rawx",
    ],
  },
  "kubeconfig-use-context-command": {
    accept: [
      "kubectl config use-context k8s-c2",
      "kubectl config use k8s-c2",
      "k config use-context k8s-c2",
      "kubectl config set current-context k8s-c2",
      "kubectl config use-context 'k8s-c2'",
    ],
    reject: [
      "kubectl config use-context k8s-c1",
      "kubectl config use-context K8S-C2",
      "kubectl config set-context k8s-c2",
      "kubectl config set-context --current k8s-c2",
      "kubectl config set current-context k8s-c1",
      "kubectl config current-context k8s-c2",
      "kubectl config use-context k8s-c2 --kubeconfig /tmp/other",
      "kubectl config use-context",
    ],
  },
  "sa-create-token-command": {
    accept: [
      "kubectl create token builder -n dev --duration=2h",
      "kubectl create token builder -n dev --duration 2h",
      "kubectl create token builder --duration=2h -n dev",
      "kubectl create token builder --namespace=dev --duration=2h",
      "kubectl create token builder --namespace dev --duration 2h",
      "kubectl -n dev create token builder --duration=2h",
      "kubectl create token -n dev builder --duration=2h0m0s",
      "kubectl create token builder -n dev --duration=120m",
      "kubectl create token builder -n dev --duration=7200s",
      "kubectl create token builder -ndev --duration=1h60m",
      "k create token builder -n dev --duration=2h",
      "kubectl create token builder -n=dev --duration=2h",
    ],
    reject: [
      "kubectl create token builder --duration=2h",
      "kubectl create token builder -n dev",
      "kubectl create token builder -n default --duration=2h",
      "kubectl create token default -n dev --duration=2h",
      "kubectl create token builder -n dev --duration=1h",
      "kubectl create token builder -n dev --duration=2d",
      "kubectl create token builder -n dev --duration=7200",
      "kubectl create token builder -n dev --duration=2h --audience=vault",
      "kubectl create serviceaccount builder -n dev",
      "kubectl create token builder -n $NS --duration=2h",
      "kubectl create token builder -n dev --duration=2h > token.txt",
    ],
  },
  "whoami-command": {
    accept: [
      "kubectl auth whoami",
      "k auth whoami",
      "kubectl auth whoami -o yaml",
      "kubectl auth whoami --output=json",
      "kubectl auth whoami -ojson",
    ],
    reject: [
      "kubectl whoami",
      "kubectl auth can-i --list",
      "kubectl auth whoami --as jane",
      "kubectl config view --minify",
      "kubectl auth who-am-i",
    ],
  },
  "can-i-as-command": {
    accept: [
      "kubectl auth can-i delete pods -n dev --as jane",
      "kubectl auth can-i delete pods --as=jane --namespace=dev",
      "kubectl -n dev auth can-i delete pods --as jane",
      "kubectl --as=jane auth can-i delete pods -n dev",
      "kubectl auth can-i delete pod -n dev --as jane",
      "kubectl auth can-i delete po -n dev --as jane",
      "kubectl auth can-i delete Pod -n dev --as jane",
      "k auth can-i delete pods -n dev --as jane",
    ],
    reject: [
      "kubectl auth can-i delete pods -n dev",
      "kubectl auth can-i delete pods --as jane",
      "kubectl auth can-i delete pods -n default --as jane",
      "kubectl auth can-i delete pods -n dev --as john",
      "kubectl auth can-i get pods -n dev --as jane",
      "kubectl auth can-i delete secrets -n dev --as jane",
      "kubectl auth can-i delete pods -n dev --as jane --as-group system:masters",
      "kubectl auth can-i delete pods -A --as jane",
      "kubectl delete pods -n dev --as jane",
    ],
  },
  "failed-authn-status-code": {
    accept: [
      "401",
      "HTTP 401",
      "http 401",
      "401 Unauthorized",
      "401 (Unauthorized)",
      "Status code 401",
      "HTTP/1.1 401 Unauthorized",
      "401.",
    ],
    reject: ["403", "401 Forbidden", "HTTP 403", "4010", "Unauthorized", "401 or 403"],
  },
  "x509-username-short": {
    accept: ["maria", "`maria`", " maria "],
    reject: ["Maria", "CN=maria", "ops", "maria,ops", "system:monitoring"],
  },
  "oidc-default-prefix": {
    accept: ["https://idp.example.com#alice", "`https://idp.example.com#alice`"],
    reject: ["alice", "https://idp.example.com/alice", "https://idp.example.com#Alice", "oidc:alice", "https://idp.example.com#"],
  },
  "oidc-groups-prefix": {
    accept: ["oidc:dev", '"oidc:dev"'],
    reject: ["dev", "OIDC:dev", "oidc:Dev", "oidc-dev", "oidc:dev,system:authenticated"],
  },
  "sa-username": {
    accept: ["system:serviceaccount:dev:builder", "'system:serviceaccount:dev:builder'"],
    reject: [
      "system:serviceaccount:builder:dev",
      "system:serviceaccounts:dev:builder",
      "builder",
      "System:ServiceAccount:dev:builder",
      "system:serviceaccount:default:builder",
    ],
  },
  "csr-signer-name": {
    accept: ["kubernetes.io/kube-apiserver-client", "`kubernetes.io/kube-apiserver-client`"],
    reject: [
      "kubernetes.io/kube-apiserver-client-kubelet",
      "kubernetes.io/kubelet-serving",
      "kube-apiserver-client",
      "Kubernetes.io/Kube-Apiserver-Client",
    ],
  },
  "cp-admin-conf-groups": {
    accept: ["kubeadm:cluster-admins", "`kubeadm:cluster-admins`", " kubeadm:cluster-admins "],
    reject: ["system:masters", "kubeadm:cluster-admin", "cluster-admins", "kubernetes-admin", "O=kubeadm:cluster-admins,system:masters"],
  },
  "cp-csr-deny-command": {
    accept: ["kubectl certificate deny dev-mallory", "k certificate deny dev-mallory", "$ kubectl certificate deny dev-mallory"],
    reject: [
      "kubectl certificate approve dev-mallory",
      "kubectl certificate deny dev-malory",
      "kubectl delete csr dev-mallory",
      "kubectl certificate deny",
      "kubectl certificate deny dev-mallory --kubeconfig /tmp/other",
    ],
  },
  "cp-discovery-binding-command": {
    accept: [
      "kubectl create clusterrolebinding oidc-discovery --clusterrole=system:service-account-issuer-discovery --group=system:unauthenticated",
      "kubectl create clusterrolebinding oidc-discovery --group=system:unauthenticated --clusterrole=system:service-account-issuer-discovery",
      "kubectl create clusterrolebinding oidc-discovery --clusterrole system:service-account-issuer-discovery --group system:unauthenticated",
    ],
    reject: [
      "kubectl create clusterrolebinding oidc-discovery --clusterrole=system:service-account-issuer-discovery --group=system:authenticated",
      "kubectl create rolebinding oidc-discovery --clusterrole=system:service-account-issuer-discovery --group=system:unauthenticated",
      "kubectl create clusterrolebinding oidc-discovery --clusterrole=system:service-account-issuer-discovery --user=system:anonymous",
      "kubectl create clusterrolebinding discovery --clusterrole=system:service-account-issuer-discovery --group=system:unauthenticated",
      "kubectl create clusterrolebinding oidc-discovery --clusterrole=cluster-admin --group=system:unauthenticated",
    ],
  },
  "cp-impersonation-can-i": {
    accept: [
      "kubectl auth can-i impersonate users/jane",
      "kubectl auth can-i impersonate users jane",
      "k auth can-i impersonate users/jane",
    ],
    reject: [
      "kubectl auth can-i impersonate users/jane --as jane",
      "kubectl auth can-i impersonate groups/jane",
      "kubectl auth can-i impersonate users/bob",
      "kubectl auth can-i get users/jane",
      "kubectl auth can-i --list --as jane",
    ],
  },
  "cp-kubelet-username": {
    accept: ["system:node:worker-2", "`system:node:worker-2`"],
    reject: ["system:nodes", "system:node:worker2", "worker-2", "System:Node:worker-2", "system:node:worker-2,system:nodes"],
  },
  "cp-legacy-secret-type": {
    accept: ["kubernetes.io/service-account-token", "`kubernetes.io/service-account-token`"],
    reject: [
      "Opaque",
      "kubernetes.io/serviceaccount-token",
      "service-account-token",
      "Kubernetes.io/Service-Account-Token",
      "bootstrap.kubernetes.io/token",
    ],
  },
  "cp-readyz-command": {
    accept: ["kubectl get --raw /readyz", "kubectl get --raw=/readyz", "k get --raw /readyz"],
    reject: [
      "kubectl get --raw /livez",
      "kubectl get --raw /healthz",
      "kubectl get readyz",
      "curl -k https://127.0.0.1:6443/readyz",
      "kubectl get --raw /readyz?verbose --as jane",
    ],
  },
};

describe.each(Object.entries(TABLES))("%s", (id, table) => {
  const question = getQuestion(id);
  it("is a short-answer question of the course", () => {
    expect(question?.type).toBe("short");
  });
  it.each(table.accept)("accepts %j", (text) => {
    if (question === undefined) throw new Error(`no question ${id}`);
    expect(gradeAnswer(question, { text })).toMatchObject({ score: 1, correct: true });
  });
  it.each(table.reject)("rejects %j", (text) => {
    if (question === undefined) throw new Error(`no question ${id}`);
    expect(gradeAnswer(question, { text })).toMatchObject({ score: 0, correct: false });
  });
});

describe("feedback on a near-miss", () => {
  it("names what differs from the expected command", () => {
    const question = getQuestion("sa-create-token-command");
    if (question === undefined) throw new Error("no question");
    expect(gradeAnswer(question, { text: "kubectl create token builder --duration=2h" }).note).toContain("missing `--namespace=dev`");
    expect(gradeAnswer(question, { text: "kubectl craete token builder" }).note).toContain("kubectl would reject this");
  });
  it("says why case matters for a case-sensitive answer", () => {
    const question = getQuestion("x509-username-short");
    if (question === undefined) throw new Error("no question");
    expect(gradeAnswer(question, { text: "Maria" }).note).toMatch(/case-sensitive/);
  });
});

it("every short-answer question of the course has a table here", () => {
  const shortIds = [...loadCourse().questions.values()].filter((question) => question.type === "short").map((question) => question.id);
  expect(shortIds.sort()).toEqual(Object.keys(TABLES).sort());
});
