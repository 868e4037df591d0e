import { spawnSync } from "node:child_process";

export interface Measurement {
  seconds: number;
  peakRssBytes: number;
}

/** How peak-rss.js, preloaded into each child, reports the child's peak RSS (in kB) on stderr. */
export const PEAK_RSS_MARKER = "bench-peak-rss-kb=";
const peakRssPreload = new URL("./peak-rss.js", import.meta.url).href;

/** Runs `node SCRIPT ARGS...` with the default heap; wall time and peak RSS of the child. */
export function measureNode(script: string, args: readonly string[]): Measurement {
  const started = performance.now();
  const child = spawnSync(process.execPath, ["--import", peakRssPreload, script, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`${script} ${args.join(" ")} failed (${child.status ?? child.signal}):\n${child.stderr}`);
  const reported = child.stderr.lastIndexOf(PEAK_RSS_MARKER);
  if (reported === -1) throw new Error(`${script} did not report its peak RSS`);
  const peakRssBytes = parseInt(child.stderr.slice(reported + PEAK_RSS_MARKER.length), 10) * 1024;
  return { seconds, peakRssBytes };
}

/** The median time of several runs, with the highest peak RSS among them. */
export function measureRepeatedly(runs: number, script: string, args: readonly string[]): Measurement {
  const all = Array.from({ length: runs }, () => measureNode(script, args));
  const times = all.map((m) => m.seconds).sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], peakRssBytes: Math.max(...all.map((m) => m.peakRssBytes)) };
}
