/** Public surface of the simulated shell. */
export { runCommandLine, CLEAR_SCREEN, HISTORY_LIMIT, type RunOptions, type RunResult, type OutputChunk } from "./run";
export { parse, parseIncomplete, type ParseResult, type Script } from "./parse";
export { createVfs, VFS_LIMITS, type ShellVfs, type FileStat } from "./vfs";
export { complete, type CompleteOptions, type CompletionResult, type KubectlCompleter, type KubectlCompletionContext } from "./complete";
export { newShellState, type ShellDefaults } from "./state";
export { defaultRegistry } from "./commands";
export type * from "./types";
export type { Word } from "./parse";
export { DEFAULT_ALIASES } from "./state";
export { SHELL_LIMITS } from "./limits";
export { compileAuthored } from "./regex";
export { curlCommand } from "./commands/curl";
export { generateKeysOnCallingThread } from "./commands/openssl/keys";
