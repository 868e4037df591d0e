import { writeSync } from "node:fs";
import { describeFsError } from "../fs-errors.js";

const STDOUT = 1;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes to standard output synchronously, chunk by chunk as the renderer
 * produces them, so a large SVG is never held whole in memory. A pipe that
 * Node has made non-blocking answers EAGAIN while the reader catches up:
 * wait a millisecond and retry the rest. A reader that went away (EPIPE, as
 * with `| head`) ends the output quietly; any other failure (a full disk,
 * an I/O error) is an OutputError.
 */
export function writeStdoutSync(chunk: string | Uint8Array): void {
  let bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(STDOUT, bytes));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") Atomics.wait(pause, 0, 0, 1);
      else if (code === "EPIPE") throw new StdoutClosed();
      else throw new OutputError(`cannot write standard output: ${describeFsError(error as NodeJS.ErrnoException, "write")}`);
    }
  }
}

/** The reader of standard output closed it; not an error worth reporting. */
export class StdoutClosed extends Error {
  constructor() {
    super("standard output closed");
    this.name = "StdoutClosed";
  }
}

/** Standard output could not take the output; the CLI prints the message and exits 1. */
export class OutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputError";
  }
}
