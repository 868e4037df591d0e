#!/usr/bin/env node
/**
 * The `torch` executable: a small launcher for the CLI bundle.
 *
 * `npm run build` bundles the CLI (src/cli.ts and every dependency) into one
 * CommonJS file, dist/bin/cli.cjs, and records V8's compiled code for it in
 * cli.cjs.cache from a training run. Compiling torch's code cost more than
 * running it on small inputs; with the cache V8 skips that work. A cache
 * that this Node does not accept (another version) is ignored and the code
 * compiles as usual. A lone `--version` is answered before anything loads.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import { packageVersion } from "./package-info.js";

/** Set by the build's training run: write the compiled code to the cache file at exit. */
const TRAIN_VARIABLE = "TORCH_TRAIN_CODE_CACHE";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  runBundle(join(dirname(fileURLToPath(import.meta.url)), "cli.cjs"));
}

function runBundle(file: string): void {
  const cacheFile = `${file}.cache`;
  // A shebang is no JavaScript inside the function wrapper.
  const source = readFileSync(file, "utf8").replace(/^#!.*/, "");
  const script = new Script(`(function (require, module, exports, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData: readCache(cacheFile),
  });
  if (process.env[TRAIN_VARIABLE]) process.once("exit", () => writeFileSync(cacheFile, script.createCachedData()));
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(createRequire(file), module, module.exports, file, dirname(file));
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}
