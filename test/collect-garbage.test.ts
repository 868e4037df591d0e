/**
 * The collection before the output: it runs only where the launcher exposed
 * V8's `gc` and the heap is large, and then it gives back what is no longer
 * referenced. Each case runs in a child process with a fresh heap.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

const moduleUrl = new URL("../src/collect-garbage.js", import.meta.url).href;

/** Heap in use (MB) before and after a call, with about `garbageMb` MB of unreferenced objects left in the old generation. */
function heapAroundCall(options: { exposeGc: boolean; garbageMb: number }): { before: number; after: number } {
  const script = `
    import v8 from "node:v8";
    if (${options.exposeGc}) v8.setFlagsFromString("--expose-gc");
    const { collectReadersGarbage } = await import(${JSON.stringify(moduleUrl)});
    // Kept across enough allocation to be promoted to the old generation, then dropped.
    let kept = [];
    for (let i = 0; i < ${options.garbageMb} * 12000; i++) kept.push({ i, text: "frame " + i });
    for (let i = 0; i < 64; i++) new Array(16384).fill(i);
    kept = undefined;
    const used = () => v8.getHeapStatistics().used_heap_size / 1e6;
    const before = used();
    collectReadersGarbage();
    console.log(JSON.stringify({ before, after: used() }));
  `;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as { before: number; after: number };
}

test("with gc exposed and a large heap, the garbage is collected", () => {
  const { before, after } = heapAroundCall({ exposeGc: true, garbageMb: 12 });
  assert.ok(before > 10.5, `${before} MB in use before`);
  assert.ok(after < before - 5, `${before} -> ${after} MB`);
});

test("a small heap is not collected: the collection would cost more than it gives back", () => {
  const { before, after } = heapAroundCall({ exposeGc: true, garbageMb: 1 });
  assert.ok(before < 10, `${before} MB in use before`);
  assert.ok(after >= before, `nothing given back: ${before} -> ${after} MB`);
});

test("without the launcher's --expose-gc (the library, the unbundled CLI), nothing is collected", () => {
  const { before, after } = heapAroundCall({ exposeGc: false, garbageMb: 12 });
  assert.ok(before > 10.5, `${before} MB in use before`);
  assert.ok(after >= before, `nothing given back: ${before} -> ${after} MB`);
});
