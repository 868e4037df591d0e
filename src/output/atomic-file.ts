import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Writes a file through a temporary sibling that is renamed into place only
 * when everything was written, so an interrupted or failed run never leaves a
 * half-written output behind.
 */
export function writeFileAtomically(path: string, produce: (write: (chunk: string | Uint8Array) => void) => void): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temporary, "w");
  try {
    produce((chunk) => {
      if (typeof chunk === "string") writeSync(fd, chunk);
      else writeSync(fd, chunk);
    });
    closeSync(fd);
    renameSync(temporary, path);
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temporary, { force: true });
    throw error;
  }
}
