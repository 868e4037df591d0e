/** Where progress goes: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  /** Terminal width; lines are cut to fit so that `\r` redraws never wrap. */
  columns?: number;
  write(text: string): unknown;
}

const REDRAW_MS = 250;
const BAR_WIDTH = 20;

/**
 * Shows that a collection of `what` ("CPU profile from URL") lasting
 * `totalSeconds` is under way. On a terminal, a bar with elapsed/total seconds
 * is redrawn in place a few times a second; anywhere else (a log, a pipe) one
 * plain line is written instead. Returns the function that ends the display,
 * leaving a terminal line blank for whatever follows.
 */
export function showProgress(stream: ProgressStream, what: string, totalSeconds: number): () => void {
  if (!stream.isTTY) {
    stream.write(`torch: collecting a ${totalSeconds} s ${what}\n`);
    return () => {};
  }
  const started = Date.now();
  const draw = () => {
    const elapsed = Math.min((Date.now() - started) / 1000, totalSeconds);
    const filled = Math.round((elapsed / totalSeconds) * BAR_WIDTH);
    const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
    const line = `torch: [${bar}] ${Math.floor(elapsed)}/${totalSeconds} s collecting ${what}`;
    stream.write(`\r${line.slice(0, (stream.columns ?? 80) - 1)}`);
  };
  draw();
  const timer = setInterval(draw, REDRAW_MS);
  return () => {
    clearInterval(timer);
    stream.write("\r\x1b[K");
  };
}
