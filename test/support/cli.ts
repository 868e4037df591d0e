import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The repository root, from dist/test/support/. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
/** The FlameGraph peer corpus, copied into the repository (see test/fixtures/corpus/README.md). */
export const corpusDir = fileURLToPath(new URL("../../../test/fixtures/corpus/", import.meta.url));
export const cliPath = fileURLToPath(new URL("../../src/cli.js", import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, from the repository root unless told another directory. */
export function runCli(args: readonly string[], input?: string | Uint8Array, cwd = repoRoot): CliResult {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    input,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
