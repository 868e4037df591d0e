/**
 * torch as users get it: packed with `npm pack`, installed with
 * `npm install -g` into a scratch prefix, and run from a folder that is not
 * the repository; and the library API type-checked and run by a TypeScript
 * program that imports it by the package name from that installation.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { repoRoot, runCli } from "./support/cli.js";
import { scratchDir } from "./support/scratch.js";
import { parseSvg } from "./support/svg.js";

const { name, version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { name: string; version: string };
const cpuPprof = join(repoRoot, "samples/goprog/cpu.pprof");
const npm = (args: string[], cwd: string) => execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8" });

let prefix: string;
let elsewhere: string;

before(() => {
  const scratch = scratchDir("package");
  // npm test has just built dist/; --ignore-scripts keeps prepack from rebuilding it under the other tests' feet.
  npm(["pack", "--ignore-scripts", "--pack-destination", scratch], repoRoot);
  const [tarball] = readdirSync(scratch).filter((file) => file.endsWith(".tgz"));
  assert.equal(tarball, `${name}-${version}.tgz`);
  prefix = join(scratch, "prefix");
  // Dependencies come from npm's cache when npm ci has filled it, else from the registry.
  npm(["install", "--global", "--prefer-offline", "--prefix", prefix, join(scratch, tarball)], scratch);
  elsewhere = join(scratch, "elsewhere");
  mkdirSync(elsewhere);
});

function torch(args: string[]) {
  return spawnSync(join(prefix, "bin", "torch"), args, { cwd: elsewhere, encoding: "utf8" });
}

test("the installed torch prints its version", () => {
  for (const flag of ["--version", "-V"]) {
    const run = torch([flag]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `${version}\n`);
  }
});

test("the installed torch draws, from another folder, the same SVG as the repository's", () => {
  const run = torch([cpuPprof]);
  assert.equal(run.status, 0, run.stderr);
  assert.ok(parseSvg(run.stdout).frames.length > 10);
  assert.equal(run.stdout, runCli([cpuPprof]).stdout);
});

test("the package ships what it needs and no tests", () => {
  const installed = join(prefix, "lib", "node_modules", name);
  for (const file of ["dist/bin/torch.cjs", "dist/src/index.js", "dist/src/index.d.ts", "dist/templates/viewer.js", "templates/viewer.css", "proto/profile.proto"]) {
    assert.ok(readFileSync(join(installed, file)).length > 0, file);
  }
  assert.throws(() => readdirSync(join(installed, "dist", "test")), /ENOENT/);
});

/** Compiles a TypeScript program against the installed package with the repository's tsc; returns tsc's output and status. */
function typeCheck(dir: string, source: string): { status: number | null; output: string } {
  writeFileSync(join(dir, "app.ts"), source);
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}

function consumerProject(): string {
  const dir = scratchDir("consumer");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, outDir: "out",
        types: ["node"], typeRoots: [join(repoRoot, "node_modules", "@types")],
      },
      files: ["app.ts"],
    }),
  );
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(join(prefix, "lib", "node_modules", name), join(dir, "node_modules", name), "dir");
  return dir;
}

test("a TypeScript program imports the API by name, type-checks, reads a profile and renders it", () => {
  const dir = consumerProject();
  const compiled = typeCheck(
    dir,
    `import { readFileSync } from "node:fs";
import { readProfile, renderFlameGraph, toFolded, DEFAULT_OPTIONS, InputError, type FlameGraphOptions, type Profile } from "${name}";

const options: Partial<FlameGraphOptions> = { title: "from the API", width: DEFAULT_OPTIONS.width / 2 };
const fromPath: Profile = await readProfile(${JSON.stringify(cpuPprof)});
const fromBytes = await readProfile(readFileSync(${JSON.stringify(join(repoRoot, "samples/goprog/heap.pprof"))}), { sampleIndex: "alloc_space" });
const svg: string = renderFlameGraph(fromPath, options);
const bad = await readProfile(new TextEncoder().encode("not a profile\\n"), { name: "note.txt" }).catch((error: unknown) => error);
console.log(JSON.stringify({
  svg,
  cpuType: fromPath.sampleType,
  heapType: fromBytes.sampleType,
  folded: toFolded(fromPath),
  bad: bad instanceof InputError ? bad.source + ": " + bad.message : "no InputError",
}));
`,
  );
  assert.equal(compiled.status, 0, compiled.output);
  const output = execFileSync(process.execPath, [join(dir, "out", "app.js")], { cwd: dir, encoding: "utf8" });
  const result = JSON.parse(output) as { svg: string; cpuType: string; heapType: string; folded: string; bad: string };
  const svg = parseSvg(result.svg);
  assert.equal(svg.title, "from the API");
  assert.equal(svg.width, 600);
  assert.deepEqual([result.cpuType, result.heapType], ["cpu", "alloc_space"]);
  assert.equal(result.folded, runCli(["--folded", cpuPprof]).stdout);
  assert.match(result.bad, /^note\.txt: not a recognised profile/);
});

test("the API's types catch a misspelt option and a wrong input", () => {
  const dir = consumerProject();
  const compiled = typeCheck(
    dir,
    `import { readProfile, renderFlameGraph } from "${name}";
const profile = await readProfile(42);
renderFlameGraph(profile, { widht: 600 });
`,
  );
  assert.notEqual(compiled.status, 0);
  assert.match(compiled.output, /app\.ts\(2,\d+\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'ProfileInput'/);
  assert.match(compiled.output, /app\.ts\(3,\d+\): error TS\d+: Object literal may only specify known properties, but 'widht' does not exist/);
});
