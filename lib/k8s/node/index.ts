/** The simulated kubeadm control-plane node: the terminal's session on it and what the practice API needs to know. */
export { runInCluster, activeFiles, activeFrame, provisionNode } from "./session";
export { apiServerServing } from "./kubelet";
