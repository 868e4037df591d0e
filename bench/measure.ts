import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface Measurement {
  seconds: number;
  peakRssBytes: number;
}

/** A process to time: a program and its arguments. */
export interface Command {
  program: string;
  args: readonly string[];
}

/**
 * GNU time reports the peak RSS of any child (node or go alike) without
 * loading anything into it, so torch, the baselines and `node -e 0` are
 * measured the same way.
 */
const GNU_TIME = "/usr/bin/time";

export function assertMeasurable(): void {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is needed for peak RSS: bash scripts/install-bench-deps.sh installs it`);
}

const RSS_MARKER = "bench-peak-rss-kb=";

/** Runs the command once: wall time and peak RSS. */
export function measure(command: Command): Measurement {
  const started = performance.now();
  const child = spawnSync(GNU_TIME, ["-f", `${RSS_MARKER}%M`, command.program, ...command.args], {
    encoding: "utf8",
    stdio: ["ignore", "ignore", "pipe"],
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  const shown = `${command.program} ${command.args.join(" ")}`;
  if (child.status !== 0) throw new Error(`${shown} failed (${child.status ?? child.signal}):\n${child.stderr}`);
  const reported = child.stderr.lastIndexOf(RSS_MARKER);
  if (reported === -1) throw new Error(`no peak RSS reported for ${shown}`);
  return { seconds, peakRssBytes: parseInt(child.stderr.slice(reported + RSS_MARKER.length), 10) * 1024 };
}

/**
 * Runs the commands in turn, `runs` rounds, so that load from other work on
 * the machine falls on all of them alike; per command, the median time and
 * the highest peak RSS.
 */
export function measureSideBySide(runs: number, commands: readonly Command[]): Measurement[] {
  const all = commands.map(() => [] as Measurement[]);
  for (let round = 0; round < runs; round++) {
    commands.forEach((command, i) => all[i].push(measure(command)));
  }
  return all.map((ms) => {
    const times = ms.map((m) => m.seconds).sort((a, b) => a - b);
    return { seconds: times[Math.floor(times.length / 2)], peakRssBytes: Math.max(...ms.map((m) => m.peakRssBytes)) };
  });
}
