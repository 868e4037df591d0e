#!/usr/bin/env node
/**
 * The `torch` executable: a small launcher for the CLI bundle.
 *
 * `npm run build` bundles the CLI (src/cli.ts and its dependencies) into one
 * CommonJS file, dist/bin/cli.cjs, and the large dependencies that only some
 * runs need into files of their own under dist/bin/vendor. For each it
 * records V8's compiled code in a `.cache` file from training runs:
 * compiling torch's code cost more than running it on small inputs, and
 * with the cache V8 skips that work. A cache that this Node does not accept
 * (another version) is ignored and the code compiles as usual. A lone
 * `--version` is answered before anything loads.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import { packageVersion } from "./package-info.js";

/** Set by the build's training runs: write the compiled code to the cache files at exit. */
const TRAIN_VARIABLE = "TORCH_TRAIN_CODE_CACHE";
/** How the CLI bundle requires a dependency bundled apart (see scripts/build-bin.mjs). */
const VENDOR_PREFIX = "./vendor/";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  setV8Flags();
  loadBundle(join(dirname(fileURLToPath(import.meta.url)), "cli.cjs"));
}

/**
 * Flags that V8 reads after start-up, so they can be set here. They must
 * come before any code cache is read or written, because V8 accepts a cache
 * only under the flags it was made with.
 *
 * - `--semi-space-growth-factor=1`: V8 doubles the young generation each
 *   time a scavenge finds much of it still alive, up to 3 x 16 MiB. Reading
 *   a profile keeps most of what it allocates (the tree, the names), so the
 *   young generation would grow to the top and stay there, in resident
 *   memory, for the rest of the run. Kept at its first size it costs no time
 *   measurably and 15 MB of the 200k-stack run's peak.
 * - `--expose-gc`: gives contexts made from now on a `gc` function, which
 *   the CLI uses to collect a reader's garbage before writing its output
 *   (collect-garbage.ts).
 */
function setV8Flags(): void {
  // Required here rather than imported: node:v8 loads the stream modules, which a lone --version does without.
  const v8 = createRequire(import.meta.url)("node:v8") as typeof import("node:v8");
  v8.setFlagsFromString("--semi-space-growth-factor=1");
  v8.setFlagsFromString("--expose-gc");
}

/** Runs a CommonJS bundle through its code cache; returns its exports. */
function loadBundle(file: string): unknown {
  const cacheFile = `${file}.cache`;
  // A shebang is no JavaScript inside the function wrapper.
  const source = readFileSync(file, "utf8").replace(/^#!.*/, "");
  const script = new Script(`(function (require, module, exports, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData: readCache(cacheFile),
  });
  if (process.env[TRAIN_VARIABLE]) process.once("exit", () => writeFileSync(cacheFile, script.createCachedData()));
  const nodeRequire = createRequire(file);
  const vendored = new Map<string, unknown>();
  const require = (id: string) => {
    if (!id.startsWith(VENDOR_PREFIX)) return nodeRequire(id);
    if (!vendored.has(id)) vendored.set(id, loadBundle(join(dirname(file), id)));
    return vendored.get(id);
  };
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(require, module, module.exports, file, dirname(file));
  return module.exports;
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}
