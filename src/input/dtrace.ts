import { InputError, type ProfileMeta } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { parseCount } from "../model/value.js";
import { readLines, type LineParser } from "./line-parser.js";
import type { ProfileReader } from "./reader.js";

/**
 * DTrace's printout of an aggregation keyed by `stack()` or `ustack()`
 * (`dtrace -n 'profile-997 { @[stack()] = count(); }'`): after the probe
 * header, each entry is its frames, one indented `module`function+0xoffset`
 * per line, leaf first, then an indented line holding the count. Frames are
 * named without their offset, as stackcollapse.pl names them.
 */

const FRAME = /^\s+\S+`\S/;
const COUNT = /^\s+(\d+)\s*$/;
const OFFSET = /\+0x[0-9a-f]+$/;

export const dtraceReader: ProfileReader = {
  name: "dtrace",
  detect: (head) => head.lines.some((line) => FRAME.test(line)) && head.lines.some((line) => COUNT.test(line)),
  read: (input, { source, tree }) => readLines(input, createDtraceParser(tree, source), source),
};

function createDtraceParser(tree: StackTree, source: string): LineParser {
  const frames: number[] = [];
  let stacks = 0;
  return {
    line(text) {
      const count = COUNT.exec(text);
      if (count) {
        if (frames.length > 0) {
          tree.addIdsLeafFirst(frames, parseCount(count[1]));
          stacks++;
        }
        frames.length = 0;
      } else if (text.trim() === "" || !/^\s/.test(text)) {
        // Blank lines part entries; unindented lines are DTrace's own header.
        frames.length = 0;
      } else {
        frames.push(tree.intern(text.trim().replace(OFFSET, "")));
      }
    },
    end(): ProfileMeta {
      if (stacks === 0) throw new InputError(source, "no stacks found in DTrace output");
      return { sampleType: "samples", unit: "samples" };
    },
  };
}
