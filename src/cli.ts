#!/usr/bin/env node
/** The `torch` command: arguments to run options (cli/arguments.ts), then the run, then an exit code. */
import { hideBin } from "yargs/helpers";
import { EXIT_INPUT, EXIT_USAGE, parseArguments, type Invocation } from "./cli/arguments.js";
import { InputError } from "./model/profile.js";
import { OutputError, StdoutClosed } from "./output/stdout.js";
import { run } from "./run.js";
import { UsageError } from "./usage-error.js";

/** Exit code for a bug in torch itself (sysexits' EX_SOFTWARE). */
const EXIT_INTERNAL = 70;

async function main(argv: string[]): Promise<number> {
  let invocation: Invocation;
  try {
    invocation = await parseArguments(argv, process.stdout.columns || undefined);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`torch: ${error.message}\nTry '${error.help}'.\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  if (invocation.action === "print") {
    process.stdout.write(invocation.text);
    return 0;
  }
  for (const warning of invocation.warnings) process.stderr.write(`torch: warning: ${warning}\n`);
  const { inputs, diff } = invocation.options;
  // process.stdin is looked at only when it is read: making it loads the stream modules for files too.
  if ((inputs.length === 0 || inputs.includes("-") || diff?.before === "-") && process.stdin.isTTY) {
    // Without this, a bare `torch` just seems to hang.
    process.stderr.write("torch: reading a profile from standard input (end with Ctrl-D); name a file or see 'torch --help'\n");
  }
  try {
    await run(invocation.options);
    return 0;
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`torch: ${error.source}: ${error.message}\n`);
      return EXIT_INPUT;
    }
    if (error instanceof StdoutClosed) return 0;
    if (error instanceof OutputError) {
      process.stderr.write(`torch: ${error.message}\n`);
      return EXIT_INPUT;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`torch: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`torch: internal error: ${error.stack ?? error.message}\n`);
    process.exitCode = EXIT_INTERNAL;
  },
);
