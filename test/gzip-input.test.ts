/** Gzipped inputs: the file's size on disk says little about what it unzips to. */
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { runCli } from "./support/cli.js";
import { scratchDir } from "./support/scratch.js";

test("a gzipped file whose tree outgrows the room its compressed size foretells reads whole", () => {
  // Deep, distinct stacks of short names compress to far fewer bytes than the nodes they make.
  const lines: string[] = [];
  for (let stack = 0; stack < 2000; stack++) {
    const frames = Array.from({ length: 30 }, (_, depth) => `f${depth}_${stack}`);
    lines.push(`${frames.join(";")} ${stack + 1}`);
  }
  lines.sort();
  const path = join(scratchDir("gzip-input"), "deep.folded.gz");
  writeFileSync(path, gzipSync(lines.join("\n") + "\n", { level: 9 }));
  const run = runCli(["--folded", path]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, lines.join("\n") + "\n");
});
