import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const goSamplesDir = fileURLToPath(new URL("../../../samples/goprog/", import.meta.url));

/**
 * `go tool pprof -raw [flags] FILE` for a committed Go sample. pprof applies
 * -focus, -ignore, -hide, -prune_from, -tagfocus, -tagignore and -diff_base
 * before printing, so its -raw text (read by ./pprof-raw.ts) is the oracle
 * for those filters too.
 */
export function goPprofRaw(file: string, flags: readonly string[] = []): string {
  return go(["tool", "pprof", "-raw", ...flags, goSamplesDir + file]);
}

/** Runs the go command; tests that need Go fail (never skip) with how to install it. */
export function go(args: readonly string[], cwd?: string): string {
  try {
    return execFileSync("go", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error("Go is required for this test: apt-get install -y golang-go");
    }
    throw error;
  }
}
