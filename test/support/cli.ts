import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, from dist/test/support/. */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
/** The FlameGraph peer corpus, copied into the repository (see test/fixtures/corpus/README.md). */
export const corpusDir = fileURLToPath(new URL("../../../test/fixtures/corpus/", import.meta.url));
/** The `torch` executable as installed: the bundle that package.json's `bin` names. */
export const cliPath = join(repoRoot, (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { bin: { torch: string } }).bin.torch);

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

export interface AsyncCliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Upper bound on any one run of runCliAsync; the slowest ones collect a profile for 4 s. */
const RUN_LIMIT_MS = 30_000;

/**
 * Runs the built CLI without blocking the test's event loop, for tests that
 * serve torch's input themselves (HTTP servers on 127.0.0.1).
 */
export function runCliAsync(args: readonly string[]): Promise<AsyncCliResult> {
  const started = Date.now();
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const killer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`torch ${args.join(" ")} did not finish within ${RUN_LIMIT_MS} ms`));
    }, RUN_LIMIT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}
