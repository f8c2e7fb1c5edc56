import { expect, test } from "./fixtures";
import { newClient, screenRows, screenText, signUp, typeCommand, uniqueEmail } from "./helpers";

// What kubectl 1.32 prints when discovery gets a 401 (shared/docs/kubectl-1.32-transcripts.txt).
const UNAUTHORIZED = "error: You must be logged in to the server (the server has asked for the client to provide credentials)";

/** xterm.js draws the screen as rows of text (the accessibility tree beside it repeats them). */
const RECALLED = /\$ kubectl get pods$/;

test("a student sees the expired certificate's 401, reads why, recalls the command, and keeps it all after a reload", async ({
  browser,
}) => {
  const context = await newClient(browser);
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail(), name: "Terminal Student", password: "a long enough password" });

  await page.goto("/scenarios");
  await page.getByRole("link", { name: "The certificate that expired", exact: true }).click();
  await expect(page).toHaveURL(/\/scenarios\/expired-cert$/);
  await expect(page.getByRole("heading", { level: 1, name: "The certificate that expired" })).toBeVisible();

  const terminal = page.getByRole("textbox", { name: "Scenario terminal" });
  await expect(terminal).toBeAttached();
  await terminal.focus();
  await page.keyboard.type("kubectl get pods");
  await page.keyboard.press("Enter");

  await expect(screenRows(page)).toContainText(UNAUTHORIZED);
  const log = page.getByRole("log", { name: "Terminal output log" });
  await expect(log).toContainText("$ kubectl get pods");
  await expect(log).toContainText(UNAUTHORIZED);

  const why = page.getByRole("region", { name: "Why? The API requests" });
  await expect(why.getByRole("switch", { name: "Explain requests" })).toHaveAttribute("aria-checked", "true");
  const newest = why.getByRole("listitem").first();
  await expect(newest).toContainText("401 Unauthorized");
  await expect(newest.getByRole("list", { name: "Decision trace" })).toBeVisible();
  await expect(newest).toContainText("x509");
  await expect(newest).toContainText("certificate has expired or is not yet valid");

  // Up recalls the command onto a fresh prompt; Enter runs it again.
  await terminal.focus();
  await expect.poll(() => screenText(page)).toMatch(/\$$/);
  await page.keyboard.press("ArrowUp");
  await expect.poll(() => screenText(page)).toMatch(RECALLED);
  await page.keyboard.press("Enter");
  await expect.poll(async () => ((await log.textContent()) ?? "").split(UNAUTHORIZED).length - 1).toBe(2);

  await page.reload();
  await expect(terminal).toBeAttached();
  await expect(screenRows(page)).toContainText(UNAUTHORIZED);
  // The log keeps the restored transcript whole; the screen may have scrolled part of it away.
  await expect.poll(async () => ((await log.textContent()) ?? "").split(UNAUTHORIZED).length - 1).toBe(2);
  await expect(why.getByRole("listitem").first()).toContainText("401 Unauthorized");
  await expect(why).toContainText("certificate has expired or is not yet valid");
  await terminal.focus();
  await expect.poll(() => screenText(page)).toMatch(/\$$/);
  await page.keyboard.press("ArrowUp");
  await expect.poll(() => screenText(page)).toMatch(RECALLED);
  await context.close();
});

const SOLUTION_FIRST_HALF = [
  "kubectl get pods",
  "openssl x509 -in ~/certs/jane.crt -noout -dates",
  'openssl req -new -key ~/certs/jane.key -subj "/CN=jane/O=dev-team" -out jane.csr',
  [
    "cat <<EOF > csr.yaml",
    "apiVersion: certificates.k8s.io/v1",
    "kind: CertificateSigningRequest",
    "metadata:",
    "  name: jane-renewal",
    "spec:",
    "  request: $(base64 -w0 < jane.csr)",
    "  signerName: kubernetes.io/kube-apiserver-client",
    "  usages:",
    "  - client auth",
    "EOF",
  ].join("\n"),
  "kubectl --context admin@kubeprep create -f csr.yaml",
];

const SOLUTION_SECOND_HALF = [
  "kubectl --context admin@kubeprep certificate approve jane-renewal",
  "kubectl --context admin@kubeprep get csr jane-renewal -o jsonpath='{.status.certificate}' | base64 -d > jane-new.crt",
  "kubectl config set-credentials jane --client-certificate=jane-new.crt --client-key=$HOME/certs/jane.key --embed-certs=true",
  "kubectl get pods",
];

test("a student types the solution, reloads halfway, passes, and another student's instance is untouched", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await newClient(browser);
  const page = await context.newPage();
  await signUp(page, { email: uniqueEmail(), name: "Solver", password: "a long enough password" });
  await page.goto("/scenarios/expired-cert");
  const terminal = page.getByRole("textbox", { name: "Scenario terminal" });
  await expect(terminal).toBeAttached();
  await terminal.focus();
  for (const command of SOLUTION_FIRST_HALF) await typeCommand(page, command);
  await expect(page.getByRole("log", { name: "Terminal output log" })).toContainText(
    "certificatesigningrequest.certificates.k8s.io/jane-renewal created",
  );

  await page.reload();
  await expect(terminal).toBeAttached();
  await expect(page.getByRole("log", { name: "Terminal output log" })).toContainText("jane-renewal created");
  await terminal.focus();
  await expect.poll(() => screenText(page)).toMatch(/\$$/);
  await page.keyboard.press("ArrowUp");
  await expect.poll(() => screenText(page)).toMatch(/\$ kubectl --context admin@kubeprep create -f csr.yaml$/);
  await page.keyboard.press("Control+U");
  await typeCommand(page, "ls");
  await expect(page.getByRole("log", { name: "Terminal output log" })).toContainText("csr.yaml");

  for (const command of SOLUTION_SECOND_HALF) await typeCommand(page, command);
  await expect(page.getByText("Scenario passed")).toBeVisible();
  await expect(page.getByRole("log", { name: "Terminal output log" })).toContainText("web");

  const other = await newClient(browser);
  const otherPage = await other.newPage();
  await signUp(otherPage, { email: uniqueEmail(), name: "Other Student", password: "a long enough password" });
  await otherPage.goto("/scenarios/expired-cert");
  const otherTerminal = otherPage.getByRole("textbox", { name: "Scenario terminal" });
  await expect(otherTerminal).toBeAttached();
  await otherTerminal.focus();
  await typeCommand(otherPage, "ls");
  await expect(otherPage.getByRole("log", { name: "Terminal output log" })).not.toContainText("csr.yaml");
  await expect(otherPage.getByText("Scenario passed")).toHaveCount(0);
  await other.close();
  await context.close();
});
