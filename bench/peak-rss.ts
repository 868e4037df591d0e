import { PEAK_RSS_MARKER } from "./measure.js";

/**
 * Preloaded into every measured child (`node --import`): reports the
 * process's peak resident set size on stderr as it exits, so that torch and
 * the baseline are measured the same way without any external tool.
 */
process.on("exit", () => {
  process.stderr.write(`\n${PEAK_RSS_MARKER}${process.resourceUsage().maxRSS}\n`);
});
