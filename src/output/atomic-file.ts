import { closeSync, fchmodSync, lstatSync, openSync, readlinkSync, renameSync, rmSync, statSync, writeSync, type Stats } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { describeFsError } from "../fs-errors.js";
import { UsageError } from "../usage-error.js";

type Chunk = string | Uint8Array;

/**
 * Writes an output file so that no run leaves half of it behind: a regular
 * file is written through a temporary sibling that is renamed into place only
 * when everything was written. A symbolic link is followed, so the file it
 * points to is replaced and the link stays; a device or FIFO (/dev/null, a
 * named pipe) is written directly, as a shell redirection would, since
 * renaming over it would replace the special file. A path that cannot be
 * written is a usage error (exit 2) with one line, whichever output it is
 * (-o, --save-profile, --cp).
 */
export class OutputFile {
  private readonly fd: number;
  /** The temporary file renamed into place on commit, when writing through one. */
  private readonly temporary?: string;
  private readonly target: string;

  constructor(private readonly path: string) {
    // Listening before the file exists: a signal that came between creating it and listening would leave it behind.
    watchSignals();
    try {
      this.target = followLinks(path);
      const existing = statOrUndefined(this.target);
      if (existing !== undefined && !existing.isFile()) {
        this.fd = openSync(this.target, "w");
      } else {
        this.temporary = join(dirname(this.target), `.${basename(this.target)}.${process.pid}.tmp`);
        this.fd = openSync(this.temporary, "w");
        // Replacing a file keeps its permissions, as editing it in place would.
        if (existing !== undefined) fchmodSync(this.fd, existing.mode & 0o7777);
      }
    } catch (error) {
      if (unfinished.size === 0) unwatchSignals();
      throw describeWriteError(path, error);
    }
    unfinished.add(this);
  }

  write(chunk: Chunk): void {
    try {
      // Two calls only because TypeScript picks writeSync's overload by the argument's type.
      if (typeof chunk === "string") writeSync(this.fd, chunk);
      else writeSync(this.fd, chunk);
    } catch (error) {
      this.abandon();
      throw describeWriteError(this.path, error);
    }
  }

  /** Everything was written: the file takes its place. */
  commit(): void {
    try {
      closeSync(this.fd);
      if (this.temporary !== undefined) renameSync(this.temporary, this.target);
    } catch (error) {
      this.removeTemporary();
      throw describeWriteError(this.path, error);
    } finally {
      this.forget();
    }
  }

  /** Gives up: the temporary file goes, an existing output stays as it was. */
  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.removeTemporary();
    this.forget();
  }

  private removeTemporary(): void {
    if (this.temporary !== undefined) rmSync(this.temporary, { force: true });
  }

  private forget(): void {
    unfinished.delete(this);
    if (unfinished.size === 0) unwatchSignals();
  }
}

/** Writes a small file at once (palette, saved profile). */
export function writeFileAtomically(path: string, produce: (write: (chunk: Chunk) => void) => void): void {
  const file = new OutputFile(path);
  try {
    produce((chunk) => file.write(chunk));
  } catch (error) {
    file.abandon();
    throw error;
  }
  file.commit();
}

/** Bytes written between two looks at pending signals: a fraction of a second's output. */
const BYTES_BETWEEN_SIGNAL_CHECKS = 1 << 20;

/**
 * Writes a large output (the SVG) as it is produced, letting the event loop
 * run between chunks so that Ctrl-C or a SIGTERM is handled while writing:
 * the temporary file is removed and the process ends by that signal.
 */
export async function writeChunksAtomically(path: string, chunks: Iterable<Chunk>): Promise<void> {
  const file = new OutputFile(path);
  try {
    let sinceCheck = 0;
    for (const chunk of chunks) {
      file.write(chunk);
      sinceCheck += chunk.length;
      if (sinceCheck >= BYTES_BETWEEN_SIGNAL_CHECKS) {
        sinceCheck = 0;
        await nextTurn();
      }
    }
  } catch (error) {
    file.abandon();
    throw error;
  }
  file.commit();
}

/** A turn of the event loop, for signal handlers to run (node:timers/promises would load a module for this). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Unfinished output files, removed when a signal ends the run. */
const unfinished = new Set<OutputFile>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Removes the temporary files, then dies of the same signal with its default
 * action (as gzip and sort do), so the shell sees 130 for Ctrl-C, 143 for
 * SIGTERM, and a script running torch in a loop stops too.
 */
function onSignal(signal: NodeJS.Signals): void {
  for (const file of unfinished) file.abandon();
  unwatchSignals();
  process.kill(process.pid, signal);
}

/** A run that fails after an output was begun (a saved profile that then cannot be read) leaves nothing either. */
function onExit(): void {
  for (const file of unfinished) file.abandon();
}

function watchSignals(): void {
  for (const signal of SIGNALS) if (!process.listeners(signal).includes(onSignal)) process.on(signal, onSignal);
  if (!process.listeners("exit").includes(onExit)) process.on("exit", onExit);
}

function unwatchSignals(): void {
  for (const signal of SIGNALS) process.off(signal, onSignal);
  process.off("exit", onExit);
}

/** Longest chain of symbolic links followed, as Linux's own limit (ELOOP). */
const MAX_LINKS = 40;

/**
 * The file a path finally names: symbolic links followed, relative targets
 * resolved from their link's directory. A dangling link names the file it
 * would point to, which is then created, as `> link` in a shell does.
 */
function followLinks(path: string): string {
  let current = path;
  for (let hops = 0; lstatOrUndefined(current)?.isSymbolicLink(); hops++) {
    if (hops === MAX_LINKS) throw Object.assign(new Error("too many levels of symbolic links"), { code: "ELOOP", syscall: "open" });
    current = resolve(dirname(current), readlinkSync(current));
  }
  return current;
}

function lstatOrUndefined(path: string): Stats | undefined {
  return lstatSync(path, { throwIfNoEntry: false });
}

function statOrUndefined(path: string): Stats | undefined {
  return statSync(path, { throwIfNoEntry: false });
}

function describeWriteError(path: string, error: unknown): unknown {
  const failure = error as NodeJS.ErrnoException;
  if (failure.syscall === undefined) return error;
  return new UsageError(`cannot write ${path}: ${describeFsError(failure, "write")}`);
}
