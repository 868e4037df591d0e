#!/usr/bin/env bash
# Regenerates test/fixtures/chrome-trace/: headless Chromium (Debian /usr/bin/chromium)
# runs busy.js, driven by npm playwright-core.
#  - page.trace.json: browser.startTracing with the V8 CPU profiler category while a
#    DevTools-protocol Profiler.start/stop records the same run; the trace then holds two
#    profiles of the renderer's main thread (the tracing profiler's, source "Internal", and
#    the protocol's, source "Inspector"), and page.cpuprofile is what Profiler.stop returned.
#  - page.array.json: the same events as a bare JSON array (the trace-event format's other form).
#  - startup.json: chromium --trace-startup (JSON), two renderer processes with a profile each;
#    only the profiler's events and the process/thread names are kept.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/test/fixtures/chrome-trace"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
node --input-type=module - "$dir" <<'EOF'
import { chromium } from "playwright-core";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
const dir = process.argv[2];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage();
// Served from a fixed origin so that frame URLs do not name this machine's paths.
await page.route("https://torch.example/**", (route) =>
  route.request().url().endsWith(".js")
    ? route.fulfill({ contentType: "text/javascript", body: readFileSync(join(dir, "busy.js"), "utf8") })
    : route.fulfill({ contentType: "text/html", body: '<html><body><script src="busy.js"></script></body></html>' }),
);
await page.goto("https://torch.example/page.html");
const cdp = await page.context().newCDPSession(page);
await cdp.send("Profiler.enable");
await browser.startTracing(page, { path: join(dir, "page.trace.json"), categories: ["disabled-by-default-v8.cpu_profiler", "v8.execute", "devtools.timeline"] });
await cdp.send("Profiler.start");
await page.evaluate(() => work(600));
const { profile } = await cdp.send("Profiler.stop");
await browser.stopTracing();
writeFileSync(join(dir, "page.cpuprofile"), JSON.stringify(profile));
await browser.close();
// Chromium's metadata block (command line, hardware) describes this machine, not the profile.
const events = JSON.parse(readFileSync(join(dir, "page.trace.json"), "utf8")).traceEvents;
const lines = events.map((event) => JSON.stringify(event)).join(",\n");
writeFileSync(join(dir, "page.trace.json"), `{"traceEvents":[\n${lines}\n]}\n`);
writeFileSync(join(dir, "page.array.json"), `[\n${lines}\n]\n`);
EOF

# A fixed folder, so that frame URLs are the same on every run.
page="/tmp/torch-startup-trace"
rm -rf "$page" && mkdir -p "$page"
trap 'rm -rf "$work" "$page"' EXIT
cat > "$page/page.html" <<EOF
<html><body><script>$(cat "$dir/busy.js")
work(1000);</script></body></html>
EOF
timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" \
  --trace-startup=disabled-by-default-v8.cpu_profiler,devtools.timeline --trace-startup-format=json \
  --trace-startup-file="$work/startup.json" --trace-startup-duration=3 --virtual-time-budget=3000 \
  --dump-dom "file://$page/page.html" >/dev/null 2>&1
# Kept: the profiler's events and the process/thread names; the other timeline events are
# dropped for size. The command lines in process_name metadata name this machine's temporary
# paths, so only the program is kept of them.
node -e '
const fs = require("fs");
const events = JSON.parse(fs.readFileSync(process.argv[1], "utf8")).traceEvents
  .filter((e) => e.cat === "__metadata" || e.cat === "disabled-by-default-v8.cpu_profiler");
for (const e of events) if (e.name === "process_name" && e.args.name.startsWith("/")) e.args.name = e.args.name.split(" ")[0];
fs.writeFileSync(process.argv[2], "{\"traceEvents\":[\n" + events.map((e) => JSON.stringify(e)).join(",\n") + "\n]}\n");
' "$work/startup.json" "$dir/startup.json"
ls -l "$dir"
