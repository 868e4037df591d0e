import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describeFsError } from "../fs-errors.js";
import { UsageError } from "../usage-error.js";

/**
 * Writes a file through a temporary sibling that is renamed into place only
 * when everything was written, so an interrupted or failed run never leaves a
 * half-written output behind. A path that cannot be written is a usage error
 * (exit 2) with one line, whichever output it is (-o, --save-profile, --cp).
 */
export function writeFileAtomically(path: string, produce: (write: (chunk: string | Uint8Array) => void) => void): void {
  try {
    writeThroughTemporary(path, produce);
  } catch (error) {
    const failure = error as NodeJS.ErrnoException;
    if (failure.syscall === undefined) throw error;
    throw new UsageError(`cannot write ${path}: ${describeFsError(failure, "write")}`);
  }
}

function writeThroughTemporary(path: string, produce: (write: (chunk: string | Uint8Array) => void) => void): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temporary, "w");
  try {
    produce((chunk) => {
      // Two calls only because TypeScript picks writeSync's overload by the argument's type.
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
