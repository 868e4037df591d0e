// Builds the `torch` executable (dist/bin): the launcher, the CLI bundled into
// one CommonJS file, and V8's code cache for it recorded by a training run.
// The launcher (src/bin.ts) explains why the cache pays.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const lazyStringWidthShim = fileURLToPath(new URL("lazy-string-width.cjs", import.meta.url));

/** Sends yargs' and cliui's `string-width` imports to a shim that loads it on first use. */
const lazyStringWidth = {
  name: "lazy-string-width",
  setup(builder) {
    builder.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === lazyStringWidthShim ? undefined : { path: lazyStringWidthShim }));
  },
};

const common = { absWorkingDir: root, bundle: true, minify: true, platform: "node", target: "node20", logLevel: "warning" };

rmSync(`${root}dist/bin`, { recursive: true, force: true });
await build({ ...common, entryPoints: ["src/bin.ts"], format: "esm", outfile: "dist/bin/torch.js" });
await build({
  ...common,
  entryPoints: ["src/cli.ts"],
  format: "cjs",
  outfile: "dist/bin/cli.cjs",
  // Lazy import()s become lazily run require()s inside the one file.
  supported: { "dynamic-import": false },
  define: { "import.meta.url": "__cliUrl" },
  banner: { js: "const __cliUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [lazyStringWidth],
});
execFileSync(process.execPath, ["dist/bin/torch.js", "samples/goprog/cpu.pprof", "-o", "/dev/null"], {
  cwd: root,
  env: { ...process.env, TORCH_TRAIN_CODE_CACHE: "1" },
  stdio: "inherit",
});
