/** Raw DTrace stack aggregations, against stackcollapse.pl's output in the FlameGraph corpus. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { corpusDir, runCli } from "./support/cli.js";

const corpus = join(corpusDir, "flamegraph-folded");

test("DTrace stack() output is detected and folded as stackcollapse.pl folds it", () => {
  const run = runCli(["--folded", join(corpus, "raw/example-dtrace-stacks.txt")]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, readFileSync(join(corpus, "folded/example-dtrace.folded"), "utf8"));
});

test("ustack() frames and a last entry without a trailing blank line", () => {
  const text = [
    "CPU     ID                    FUNCTION:NAME",
    "  1  75103                        :tick-5s ",
    "",
    "",
    "              libc.so.1`_write+0x8",
    "              node`uv_write+0x1c4",
    "              0x8a3f21",
    "               12",
    "",
    "              libc.so.1`_read+0x8",
    "              node`uv_read+0x20",
    "                3",
  ].join("\n");
  const run = runCli(["--folded", "-"], text);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, "0x8a3f21;node`uv_write;libc.so.1`_write 12\nnode`uv_read;libc.so.1`_read 3\n");
});
