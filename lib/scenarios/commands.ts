/** The commands a scenario shell has beyond the built-in Unix ones, and tab completion. */
import crypto from "node:crypto";
import { advanceClock, parseDuration } from "../k8s";
import { kubectlCommand, completeKubectl } from "../k8s/kubectl";
import { complete, curlCommand, createVfs } from "../k8s/shell";
import type { CommandHandler } from "../k8s/shell";
import { clusterNetwork, type InstanceState } from "./instance";
import { activeFiles } from "../k8s/node";

const KUBEPREP_USAGE = [
  "Usage:",
  "  kubeprep time                 print the cluster's simulated time",
  "  kubeprep time advance <dur>   move the simulated clock forward (e.g. 15m, 2h, 31d)",
  "",
].join("\n");

const MAX_ADVANCE_MS = 3650 * 24 * 3600 * 1000;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(".000", "");
}

/**
 * `kubeprep`: the simulator's own helper. Moving time lets a learner watch a token or a
 * certificate expire; a real cluster has no such command, and the help says so.
 */
function kubeprepCommand(instance: InstanceState): CommandHandler {
  return async ({ args }) => {
    const [topic, verb, amount] = args;
    if (topic !== "time") {
      return {
        stdout: "",
        stderr: `${KUBEPREP_USAGE}(kubeprep is the simulator's helper; real clusters do not have it)\n`,
        exitCode: topic ? 1 : 0,
      };
    }
    if (verb === undefined) return { stdout: `${iso(instance.cluster.clock.nowMs)}\n`, stderr: "", exitCode: 0 };
    const ms = verb === "advance" && amount ? parseDuration(amount) : undefined;
    if (ms === undefined || ms <= 0 || ms > MAX_ADVANCE_MS) {
      return { stdout: "", stderr: `kubeprep: give a positive duration up to 3650d, e.g. 15m\n${KUBEPREP_USAGE}`, exitCode: 1 };
    }
    advanceClock(instance.cluster, ms);
    return { stdout: `Simulated time is now ${iso(instance.cluster.clock.nowMs)}\n`, stderr: "", exitCode: 0 };
  };
}

export function scenarioCommands(instance: InstanceState): Record<string, CommandHandler> {
  return { kubectl: kubectlCommand, k: kubectlCommand, curl: curlCommand, kubeprep: kubeprepCommand(instance) };
}

/** Tab completion: kubectl's own completer for kubectl lines, the shell's for everything else. */
export async function completeLine(
  instance: InstanceState,
  line: string,
  cursor: number,
): Promise<{ candidates: string[]; start: number }> {
  // On the kubeadm node (ssh controlplane) names complete against the node's files and variables.
  const shell = activeFiles(instance.cluster, instance.shell);
  const before = line.slice(0, cursor);
  const words = before.split(/\s+/);
  const partial = words[words.length - 1] ?? "";
  const [command, ...args] = words.filter((word, index) => word !== "" || index === words.length - 1);
  if ((command === "kubectl" || command === "k") && words.length > 1 && !/[|;&]/.test(before)) {
    const candidates = await completeKubectl(args, {
      args,
      stdin: "",
      env: shell.env,
      cwd: shell.cwd,
      fs: createVfs(shell, { now: new Date(instance.cluster.clock.nowMs) }),
      now: new Date(instance.cluster.clock.nowMs),
      network: clusterNetwork(instance),
      exchanges: [],
      random: (bytes) => new Uint8Array(crypto.randomBytes(bytes)),
    });
    if (candidates.length > 0) return { candidates: candidates.slice(0, 200), start: cursor - partial.length };
  }
  const nodeTools =
    instance.cluster.node === undefined
      ? []
      : shell === instance.shell
        ? ["ssh", "sudo"]
        : ["ssh", "sudo", "crictl", "journalctl", "kubeadm", "systemctl"];
  return complete(shell, line, cursor, { commandNames: [...Object.keys(scenarioCommands(instance)), ...nodeTools] });
}
