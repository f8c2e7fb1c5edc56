/** kubectl certificate approve|deny (spec §8): builder GET, typed GET, protobuf PUT to /approval. */
import { isJsonObject, type JsonObject } from "../../json";
import { rfc3339 } from "../../cluster/ids";
import { PROTOBUF_ACCEPT } from "../client";
import { boolFlag, expectJson, makeClient, OUTPUT_FLAG, type CommandSpec, type Invocation } from "../command";
import { discover } from "../discovery";
import { RenderedError, StatusError, usageError } from "../errors";
import { encodeProtobufObject, PROTOBUF_CONTENT_TYPE } from "../../protobuf";
import { goQuote, goPathEscape } from "../../go";

const BASE = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

function modifier(approve: boolean) {
  return async (invocation: Invocation): Promise<number> => {
    const { runtime, flags } = invocation;
    if (invocation.args.length === 0)
      throw usageError(invocation.commandPath, "one or more CSRs must be specified as <name> or -f <filename>");
    const conditionType = approve ? "Approved" : "Denied";
    const mustNotHave = approve ? "Denied" : "Approved";
    const reason = approve ? "KubectlApprove" : "KubectlDeny";
    const message = approve ? "This CSR was approved by kubectl certificate approve." : "This CSR was denied by kubectl certificate deny.";
    const client = makeClient(invocation);
    await discover(client, 5);
    for (const name of invocation.args) {
      const path = `${BASE}/${goPathEscape(name)}`;
      expectJson(await client.request("GET", path, { accept: "application/json" }));
      for (let attempt = 0; ; attempt += 1) {
        const csr: JsonObject = expectJson(await client.request("GET", path, { accept: PROTOBUF_ACCEPT }));
        const status: JsonObject = isJsonObject(csr.status) ? { ...csr.status } : {};
        const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(isJsonObject);
        const blocking = conditions.find((condition) => condition.type === mustNotHave);
        if (blocking !== undefined)
          throw new RenderedError(`error: certificate signing request ${goQuote(name)} is already ${mustNotHave}`);
        const already = conditions.some((condition) => condition.type === conditionType);
        if (already && !flags.bool("force")) break;
        status.conditions = [
          ...conditions,
          { type: conditionType, status: "True", reason, message, lastUpdateTime: rfc3339(runtime.now.getTime()) },
        ];
        const updated = { ...csr, apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest", status };
        try {
          expectJson(
            await client.request("PUT", `${path}/approval`, {
              accept: PROTOBUF_ACCEPT,
              contentType: PROTOBUF_CONTENT_TYPE,
              body: encodeProtobufObject(updated),
            }),
          );
        } catch (error) {
          if (error instanceof StatusError && error.status.code === 409 && attempt < 10) continue;
          throw error;
        }
        break;
      }
      runtime.stdout(`certificatesigningrequest.certificates.k8s.io/${name} ${approve ? "approved" : "denied"}\n`);
    }
    return 0;
  };
}

export const certificateCommand: CommandSpec = {
  name: "certificate",
  subcommands: [
    { name: "approve", flags: [boolFlag("force"), OUTPUT_FLAG], run: modifier(true) },
    { name: "deny", flags: [boolFlag("force"), OUTPUT_FLAG], run: modifier(false) },
  ],
};
