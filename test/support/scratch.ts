import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";

const created: string[] = [];
// Registered when the module loads, so it is the test file's hook, not one test's.
after(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh, empty temporary directory, removed when the test file ends. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `torch-${prefix}-`));
  created.push(dir);
  return dir;
}
