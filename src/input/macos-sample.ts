import { InputError, type ProfileMeta } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { readLines, type LineParser } from "./line-parser.js";
import type { ProfileReader } from "./reader.js";

/**
 * The report of macOS `sample` (and Activity Monitor's "Sample Process"):
 * after a header, its "Call graph:" is a tree, one node per line, each a
 * sample count and a frame, callees indented further right than their
 * caller; the characters drawn in the indent (`+ ! : |`) only guide the eye
 * (sample(1)). The top level is one node per thread:
 *
 *     Call graph:
 *         120 Thread_801234   DispatchQueue_1: com.apple.main-thread  (serial)
 *         + 120 start  (in dyld) + 2360  [0x18e2c60e0]
 *         +   115 main  (in demo) + 40  [0x100003f28]  demo.c:30
 *
 * A node's own samples are its count less its children's. Frames are named
 * `library`function`, as DTrace names them on the same system; the thread
 * line (spaces squeezed) is the root frame. The sections after the graph
 * (totals, binary images) are summaries and are not read.
 */

const CALL_GRAPH = "Call graph:";
/** Indent (spaces and the guide characters), count, frame. */
const NODE = /^([ +!:|]*)(\d+) (.+)$/;
/** `function  (in library) + offset  [address]  file:line`, or `???  (in library)  load address ...`. */
const FRAME = /^(.*?) {2}\(in ([^)]*)\)/;

export const macosSampleReader: ProfileReader = {
  name: "macos-sample",
  detect: (head) => {
    const graph = head.lines.indexOf(CALL_GRAPH);
    return graph !== -1 && /^ *\d+ Thread_/.test(head.lines[graph + 1] ?? "");
  },
  read: (input, { source, tree }) => readLines(input, createSampleParser(tree, source), source),
};

function frameName(text: string): string {
  const frame = FRAME.exec(text);
  if (frame) return `${frame[2]}\`${frame[1].trim()}`;
  // No library: a bare address or a thread line.
  return text.replace(/ {2}\[0x[0-9a-f]+\].*$/, "").replace(/\s+/g, " ").trim();
}

function createSampleParser(tree: StackTree, source: string): LineParser {
  let inGraph = false;
  let done = false;
  /** The open nodes, root first: indent column, tree node, count. */
  const open: { column: number; node: number; count: number }[] = [];
  let lineNumber = 0;

  /** Closing a node leaves its children's counts subtracted: what remains is its own. */
  const closeTo = (column: number) => {
    while (open.length > 0 && open[open.length - 1].column >= column) {
      const { node, count } = open.pop()!;
      if (count < 0) throw new InputError(source, `line ${lineNumber}: the callees of a call graph node add up to more than its own count`);
      tree.addSelf(node, count);
    }
  };

  return {
    line(text) {
      lineNumber++;
      if (done) return;
      if (!inGraph) {
        inGraph = text === CALL_GRAPH;
        return;
      }
      const node = NODE.exec(text);
      if (!node) {
        // A blank line (or the next section) ends the graph.
        closeTo(0);
        done = true;
        return;
      }
      const column = node[1].length;
      const count = Number(node[2]);
      closeTo(column);
      const parent = open.at(-1);
      if (parent) parent.count -= count;
      open.push({ column, node: tree.child(parent?.node ?? tree.root, tree.intern(frameName(node[3]))), count });
    },
    end(): ProfileMeta {
      closeTo(0);
      if (!inGraph) throw new InputError(source, `no "${CALL_GRAPH}" section: not a report of macOS sample`);
      if (tree.selfSum() === 0) throw new InputError(source, "the call graph holds no samples");
      return { sampleType: "samples", unit: "samples" };
    },
  };
}
