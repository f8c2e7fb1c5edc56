/** The default command registry of the simulated shell (kubectl is injected by the caller). */
import type { CommandHandler } from "../types";
import { basename, cat, chmod, cp, dirname, find, ls, mkdir, mv, realpath, rm, rmdir, stat, tee, touch } from "./files";
import { jq } from "./jq";
import { openssl } from "./openssl";
import { clear, date, editor, env, falseCommand, hostname, id, printenv, sleep, trueCommand, uname, whoami } from "./system";
import { base64 } from "./text/base64";
import { cut } from "./text/cut";
import { echo } from "./text/echo";
import { grep } from "./text/grep";
import { head, tail } from "./text/head-tail";
import { printf } from "./text/printf";
import { rev } from "./text/rev";
import { sed } from "./text/sed";
import { seq } from "./text/seq";
import { sort } from "./text/sort";
import { tr } from "./text/tr";
import { uniq } from "./text/uniq";
import { wc } from "./text/wc";

export { CLEAR_SCREEN } from "./system";

export const defaultRegistry: Record<string, CommandHandler> = {
  base64,
  basename,
  cat,
  chmod,
  clear,
  cp,
  cut,
  date,
  dirname,
  echo,
  egrep: (context) => grep({ ...context, args: ["-E", ...context.args] }),
  env,
  false: falseCommand,
  find,
  grep,
  head,
  hostname,
  id,
  jq,
  less: cat,
  ls,
  mkdir,
  more: cat,
  mv,
  nano: editor("nano"),
  openssl,
  printenv,
  printf,
  realpath,
  rev,
  rm,
  rmdir,
  sed,
  seq,
  sleep,
  sort,
  stat,
  tail,
  tee,
  touch,
  tr,
  true: trueCommand,
  uname,
  uniq,
  vi: editor("vi"),
  vim: editor("vim"),
  wc,
  whoami,
};

/** Where `which` / `type` say a command lives. */
export const KNOWN_PATHS: Record<string, string> = {
  ...Object.fromEntries(Object.keys(defaultRegistry).map((name) => [name, `/usr/bin/${name}`])),
  kubectl: "/usr/local/bin/kubectl",
  kubeadm: "/usr/bin/kubeadm",
  which: "/usr/bin/which",
  bash: "/usr/bin/bash",
  sh: "/usr/bin/sh",
};
