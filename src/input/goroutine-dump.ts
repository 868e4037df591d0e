import { InputError, type ProfileMeta } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { readLines, type LineParser } from "./line-parser.js";
import type { ProfileReader } from "./reader.js";

/**
 * Go's full goroutine dump: `/debug/pprof/goroutine?debug=2`,
 * `runtime.Stack(buf, true)`, and the traceback a panic, `fatal error` or
 * SIGQUIT prints. Each goroutine is a header, then its calls leaf first, each
 * a function line (arguments in parentheses) and a tab-indented `file:line`:
 *
 *     goroutine 18 [chan receive, 2 minutes]:
 *     main.(*server).serve(...)
 *     	/src/main.go:22
 *     main.main.func2()
 *     	/src/main.go:58 +0x55
 *     created by main.main in goroutine 1
 *     	/src/main.go:54 +0x45
 *
 * Each goroutine is one stack of count 1, its frames the function names
 * without arguments, as in the debug=0 goroutine profile. The `created by`
 * line names the creator, not a caller, and is left out as that profile does;
 * so is the text around the goroutines (the panic message, registers).
 */

/** `goroutine 18 [chan receive]:`; Go 1.22+ with GOTRACEBACK=system adds `gp=... m=...` before the state. */
const HEADER = /^goroutine \d+(?: [^[]*)? \[[^\]]*\]:$/;
const CREATED_BY = "created by ";
/** Printed in place of the middle of a stack over 100 frames deep. */
const ELIDED = /^\.\.\.\d* ?(?:additional )?frames elided\.\.\.$/;
/** How far into the input detection looks for the first goroutine: past a panic message, not further. */
const DETECT_LINES = 40;

export const goroutineDumpReader: ProfileReader = {
  name: "goroutine-dump",
  detect: (head) => {
    const first = head.lines.slice(0, DETECT_LINES).findIndex((line) => HEADER.test(line));
    return first !== -1 && functionName(head.lines[first + 1] ?? "") !== undefined;
  },
  read: (input, { source, tree }) => readLines(input, createGoroutineDumpParser(tree, source), source),
};

/** The function of a call line, without its argument list: `main.(*T).m(0x1, {...})` -> `main.(*T).m`. */
function functionName(line: string): string | undefined {
  if (!line.endsWith(")") || line.startsWith("\t") || line.startsWith(" ")) return undefined;
  let depth = 0;
  for (let i = line.length - 1; i > 0; i--) {
    if (line[i] === ")") depth++;
    else if (line[i] === "(" && --depth === 0) return line.slice(0, i);
  }
  return undefined;
}

function createGoroutineDumpParser(tree: StackTree, source: string): LineParser {
  /** Frame ids of the goroutine being read, leaf first; undefined outside one. */
  let frames: number[] | undefined;
  /** Past its `created by` line: the rest of the goroutine is that line's file. */
  let created = false;
  let goroutines = 0;
  let skipped = 0;

  const close = () => {
    if (frames && frames.length > 0) {
      tree.addIdsLeafFirst(frames, 1);
      goroutines++;
    }
    frames = undefined;
  };

  return {
    line(text) {
      if (HEADER.test(text)) {
        close();
        frames = [];
        created = false;
        return;
      }
      if (!frames) return;
      if (text === "") return close();
      if (created || text.startsWith("\t") || ELIDED.test(text)) return;
      if (text.startsWith(CREATED_BY)) {
        created = true;
        return;
      }
      const name = functionName(text);
      if (name === undefined) skipped++;
      else frames.push(tree.intern(name));
    },
    end(): ProfileMeta {
      close();
      if (goroutines === 0) throw new InputError(source, "goroutine dump holds no goroutine stacks");
      const warnings = skipped > 0 ? [`${skipped} line(s) inside goroutines were neither calls nor files, and were skipped`] : [];
      return { sampleType: "goroutine", unit: "count", warnings };
    },
  };
}
