/** kubeadm's file layout on a control-plane node (cmd/kubeadm/app/constants). */
export const MANIFESTS_DIR = "/etc/kubernetes/manifests";
export const APISERVER_MANIFEST = "/etc/kubernetes/manifests/kube-apiserver.yaml";
/** Where the generated manifest points --token-auth-file (inside the already mounted pki folder). */
export const TOKEN_FILE = "/etc/kubernetes/pki/tokens.csv";
export const AUTHENTICATION_CONFIG_FILE = "/etc/kubernetes/pki/authentication-config.yaml";
export const CLIENT_CA_BUNDLE = "/etc/kubernetes/pki/client-ca-bundle.crt";
export const KUBERNETES_VERSION = "v1.32.0";
