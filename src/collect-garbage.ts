import { getHeapStatistics } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * V8's heap in use above which a full collection is worth its time: torch's
 * own code and data take about 5 MB of it after reading a small profile,
 * and a collection costs about 6 ms whatever it finds.
 */
const WORTH_COLLECTING_BYTES = 10 * 2 ** 20;

/**
 * Collects what reading left behind, before the output is made. V8
 * collects the old generation only when it reaches a limit that a run of
 * torch rarely reaches, so what a reader held for a while stays (for the
 * 300k-sample pprof profile, 5 MB of decoder state and tables and 4 MB of
 * the two passes' buffers), and the output's allocations come on top of
 * it. Collected first, that memory is used again: 9 MB less peak RSS
 * drawing the 300k- and 1M-sample profiles, 1-2 MB less writing them
 * --folded, in no more time.
 *
 * `gc` exists only in contexts made after the launcher (bin.ts) set
 * --expose-gc; elsewhere (the library, the tests' unbundled CLI) this does
 * nothing.
 */
export function collectReadersGarbage(): void {
  if (getHeapStatistics().used_heap_size < WORTH_COLLECTING_BYTES) return;
  const gc = runInNewContext("typeof gc === 'function' ? gc : undefined") as (() => void) | undefined;
  gc?.();
}
