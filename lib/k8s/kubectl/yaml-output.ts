/** YAML as sigs.k8s.io/yaml writes it (JSON -> go-yaml v2): YAML 1.1 quoting (timestamps, yes/no), sorted keys, unindented sequences, no folding. */
import { stringify } from "yaml";

export function toYaml(value: unknown): string {
  return stringify(value, {
    version: "1.1",
    sortMapEntries: true,
    lineWidth: 0,
    minContentWidth: 0,
    indentSeq: false,
    singleQuote: false,
    nullStr: "null",
    aliasDuplicateObjects: false,
  });
}
