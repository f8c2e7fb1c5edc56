/**
 * A simulated `openssl` (OpenSSL 3.0 output shapes) for the certificate workflows of the CKA/CKS:
 * genrsa, genpkey, ecparam -genkey, pkey/rsa, req (-new, -x509, -text, -subject, -verify),
 * x509 (inspect, -req signing, -checkend), verify, rand, version. Real keys and signatures
 * (node:crypto and @peculiar/x509 through lib/k8s/pki); keys never leave the VFS.
 *
 * This file dispatches; each subcommand has its own file (pkey.ts serves `rsa` too), sharing
 * common.ts (options, errors, files), keys.ts (generation), extensions.ts and render.ts (-text).
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import type { CommandHandler, CommandResult } from "../../types";
import { OpensslError, type Io } from "./common";
import { ecparam } from "./ecparam";
import { genpkey } from "./genpkey";
import { genrsa } from "./genrsa";
import { pkey } from "./pkey";
import { rand } from "./rand";
import { req } from "./req";
import { verify } from "./verify";
import { x509Command } from "./x509";

x509.cryptoProvider.set(globalThis.crypto);

const SUBCOMMANDS = ["genrsa", "genpkey", "ecparam", "pkey", "rsa", "req", "x509", "verify", "rand", "version", "help"];

export const openssl: CommandHandler = async (context): Promise<CommandResult> => {
  const [sub, ...args] = context.args;
  const io: Io = { stdout: "", stderr: "" };
  if (sub === undefined) return { stdout: "", stderr: "", exitCode: 0 };
  try {
    switch (sub) {
      case "genrsa":
        await genrsa(context, args, io);
        break;
      case "genpkey":
        await genpkey(context, args, io);
        break;
      case "ecparam":
        await ecparam(context, args, io);
        break;
      case "pkey":
      case "rsa":
        await pkey(sub, context, args, io);
        break;
      case "req":
        await req(context, args, io);
        break;
      case "x509":
        await x509Command(context, args, io);
        break;
      case "verify":
        await verify(context, args, io);
        break;
      case "rand":
        await rand(context, args, io);
        break;
      case "version":
        io.stdout += args.includes("-a")
          ? "OpenSSL 3.0.13 30 Jan 2024 (Library: OpenSSL 3.0.13 30 Jan 2024)\nbuilt on: simulated\n"
          : "OpenSSL 3.0.13 30 Jan 2024 (Library: OpenSSL 3.0.13 30 Jan 2024)\n";
        break;
      case "help":
        io.stderr += `help:\n\nStandard commands (in this practice shell)\n${SUBCOMMANDS.join("  ")}\n`;
        break;
      default:
        return { stdout: "", stderr: `Invalid command '${sub}'; type "help" for a list.\n`, exitCode: 1 };
    }
  } catch (error) {
    if (error instanceof OpensslError) return { stdout: io.stdout, stderr: io.stderr + error.message, exitCode: error.exitCode };
    const message = error instanceof Error ? error.message : String(error);
    return { stdout: io.stdout, stderr: `${io.stderr}${sub}: ${message}\n`, exitCode: 1 };
  }
  return { stdout: io.stdout, stderr: io.stderr, exitCode: 0 };
};
