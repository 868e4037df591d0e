// Builds the `torch` executable (dist/bin): the launcher, the CLI bundled into
// one CommonJS file, the large dependencies that only some runs need bundled
// apart (dist/bin/vendor), and V8's code cache for each, recorded by training
// runs. The launcher (src/bin.ts) explains why the caches pay.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const lazyStringWidthShim = fileURLToPath(new URL("lazy-string-width.cjs", import.meta.url));

/**
 * Dependencies bundled apart, by import path: each is a large leaf (it
 * imports nothing of torch's) that only some runs need, so a run that does
 * not use it neither reads it nor loads its compiled code. A folded-stacks
 * run never touches protobufjs; a run that writes folded stacks never
 * touches xmlbuilder2.
 */
const VENDORED = {
  xmlbuilder2: "xmlbuilder2",
  pako: "pako",
  "protobufjs/minimal.js": "protobufjs",
  "csv-parse/sync": "csv-parse",
  saxes: "saxes",
};

/** Sends yargs' and cliui's `string-width` imports to a shim that loads it on first use. */
const lazyStringWidth = {
  name: "lazy-string-width",
  setup(builder) {
    builder.onResolve({ filter: /^string-width$/ }, (args) => (args.importer === lazyStringWidthShim ? undefined : { path: lazyStringWidthShim }));
  },
};

/** Leaves the vendored imports to the launcher's require, which loads dist/bin/vendor/NAME.cjs. */
const vendoredApart = {
  name: "vendored-apart",
  setup(builder) {
    const names = Object.keys(VENDORED).map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
    builder.onResolve({ filter: new RegExp(`^(${names.join("|")})$`) }, (args) => ({ path: `./vendor/${VENDORED[args.path]}.cjs`, external: true }));
  },
};

const common = { absWorkingDir: root, bundle: true, minify: true, platform: "node", target: "node20", logLevel: "warning" };

/** CommonJS output has no `import.meta`: its `url` becomes a constant made from __filename. */
function importMetaUrlAs(name) {
  return { define: { "import.meta.url": name }, banner: { js: `const ${name} = require('node:url').pathToFileURL(__filename).href;` } };
}

rmSync(`${root}dist/bin`, { recursive: true, force: true });
// The launcher is CommonJS too: Node starts a CommonJS entry point without
// setting up its ES module loader.
await build({
  ...common,
  entryPoints: ["src/bin.ts"],
  format: "cjs",
  outfile: "dist/bin/torch.cjs",
  ...importMetaUrlAs("__launcherUrl"),
});
await build({
  ...common,
  entryPoints: ["src/cli.ts"],
  format: "cjs",
  outfile: "dist/bin/cli.cjs",
  // Lazy import()s become lazily run require()s inside the one file.
  supported: { "dynamic-import": false },
  ...importMetaUrlAs("__cliUrl"),
  plugins: [lazyStringWidth, vendoredApart],
});
for (const [path, name] of Object.entries(VENDORED)) {
  await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(path)});`, resolveDir: root, loader: "js" },
    format: "cjs",
    outfile: `dist/bin/vendor/${name}.cjs`,
  });
}
// Training: the runs whose compiled code the caches keep. Each run starts
// from the caches the runs before it wrote, so they add up; formats read
// more rarely compile as they load.
const corpus = "test/fixtures/corpus";
const trainingRuns = [
  ["samples/goprog/cpu.pprof"],
  [`${corpus}/flamegraph-folded/folded/example-perf.folded`],
  [`${corpus}/flamegraph-perf/inputs/perf-vertx-stacks-01.txt`, "--folded"],
];
for (const args of trainingRuns) {
  execFileSync(process.execPath, ["dist/bin/torch.cjs", ...args, "-o", "/dev/null"], {
    cwd: root,
    env: { ...process.env, TORCH_TRAIN_CODE_CACHE: "1" },
    stdio: "inherit",
  });
}
