import { InputError, type ProfileMeta } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { addCallGraphStacks, CallGraph } from "./call-graph.js";
import { readLines, type LineParser } from "./line-parser.js";
import type { ProfileReader } from "./reader.js";
import { chooseSampleType } from "./sample-type.js";

/**
 * Reader for valgrind's callgrind output (`valgrind --tool=callgrind`, also
 * cachegrind's, its subset), from valgrind's "Callgrind Format Specification":
 * `key: value` header lines (`events:` names the cost columns), then
 * position lines (`ob=` object, `fl=`/`fi=`/`fe=` source file, `fn=`
 * function; `cob=`/`cfi=`/`cfn=` a call's target), cost lines (subpositions,
 * then one count per event: the current function's self cost) and call lines
 * (`calls=count target`, then a cost line holding the calls' inclusive cost).
 * Names may be compressed: `(id) name` defines an id, `(id)` uses it; files,
 * functions and objects each have their own ids, shared with their call forms.
 *
 * A function is its object, file and name, as callgrind_annotate tells them
 * apart; frames show the name. Values are the first event's (callgrind_annotate's
 * default), or the one `--sample-index` names. The file is a call graph, not
 * stacks: see `addCallGraphStacks` for how it becomes a flame graph.
 */

const SPEC = /^(ob|fl|fi|fe|fn|cob|cfi|cfl|cfn|calls|jump|jcnd|jfi|jfn)=\s*(.*)$/;
const HEADER = /^([a-z]+):\s*(.*)$/;
const COMPRESSED = /^\((\d+)\)(?:\s(.*))?$/;
const SUBPOSITION = /^(?:[+-]?\d+|[+-]?0x[0-9a-fA-F]+|\*)$/;
const COST = /^(?:\d+|0x[0-9a-fA-F]+)$/;

export const callgrindReader: ProfileReader = {
  name: "callgrind",
  uses: ["sampleIndex"],
  detect: (head) =>
    /^# (callgrind|cachegrind) format/.test(head.lines[0] ?? "") ||
    (head.lines.some((line) => /^events:\s*\S/.test(line)) && head.lines.some((line) => /^fn=/.test(line))),
  read: (input, { source, tree, options, checkDeadline }) => readLines(input, createCallgrindParser(tree, source, options.sampleIndex, checkDeadline), source),
};

/** The namespaces of compressed names: which position lines share ids. */
type NameKind = "ob" | "fl" | "fn";
const KIND_OF: Record<string, NameKind> = { ob: "ob", cob: "ob", fl: "fl", fi: "fl", fe: "fl", cfi: "fl", cfl: "fl", jfi: "fl", fn: "fn", cfn: "fn", jfn: "fn" };

function createCallgrindParser(tree: StackTree, source: string, sampleIndex: string | number | undefined, checkDeadline: () => void): LineParser {
  const graph = new CallGraph();
  const functionIds = new Map<string, number>();
  const compressed: Record<NameKind, Map<string, string>> = { ob: new Map(), fl: new Map(), fn: new Map() };
  let lineNumber = 0;
  let events: string[] | undefined;
  let column = 0;
  let positions = 1;
  // Where costs go: the object and file of the current function, the file of its current (maybe inlined) code.
  let object = "";
  let file = "";
  let functionFile = "";
  let current: number | undefined;
  // The next call's target; object and file default to the current ones and last for one call.
  let callObject: string | undefined;
  let callFile: string | undefined;
  let callName: string | undefined;
  let pendingCall: number | undefined;

  const fail = (message: string): never => {
    throw new InputError(source, `line ${lineNumber}: ${message}`);
  };
  const functionId = (ob: string, fl: string, name: string) => {
    const key = `${ob}\0${fl}\0${name}`;
    let id = functionIds.get(key);
    if (id === undefined) functionIds.set(key, (id = graph.addFunction(name)));
    return id;
  };
  const nameOf = (kind: NameKind, text: string): string => {
    const ref = COMPRESSED.exec(text);
    if (!ref) return text;
    if (ref[2] !== undefined) {
      compressed[kind].set(ref[1], ref[2]);
      return ref[2];
    }
    return compressed[kind].get(ref[1]) ?? fail(`name (${ref[1]}) is used before it is defined`);
  };

  const position = (spec: string, name: string) => {
    switch (spec) {
      case "ob":
        object = name;
        break;
      case "fl":
        file = functionFile = name;
        break;
      case "fi":
      case "fe":
        file = name;
        break;
      case "fn":
        functionFile = file;
        current = functionId(object, functionFile, name);
        break;
      case "cob":
        callObject = name;
        break;
      case "cfi":
      case "cfl":
        callFile = name;
        break;
      case "cfn":
        callName = name;
        break;
    }
  };

  const costLine = (text: string) => {
    if (!events) fail("cost line before the events: header");
    if (current === undefined) fail("cost line before any fn= line");
    const fields = text.trim().split(/\s+/);
    for (let i = 0; i < positions && i < fields.length; i++) if (!SUBPOSITION.test(fields[i])) fail(`bad position ${JSON.stringify(fields[i])}`);
    const field = fields[positions + column];
    if (field !== undefined && !COST.test(field)) fail(`bad cost ${JSON.stringify(field)}`);
    const cost = field === undefined ? 0 : Number(field);
    if (pendingCall !== undefined) {
      graph.addCall(current!, pendingCall, cost);
      pendingCall = callObject = callFile = undefined;
    } else {
      graph.self[current!] += cost;
    }
  };

  return {
    line(text) {
      lineNumber++;
      if (text === "" || text.startsWith("#") || /^\s*$/.test(text)) return;
      if (/^[\d+*-]/.test(text)) return costLine(text);
      const spec = SPEC.exec(text);
      if (spec) {
        const [, key, value] = spec;
        if (key === "calls") {
          if (callName === undefined) fail("calls= without a cfn= line before it");
          if (current === undefined) fail("calls= before any fn= line");
          pendingCall = functionId(callObject ?? object, callFile ?? file, callName!);
        } else if (key !== "jump" && key !== "jcnd") {
          // jfi=/jfn= (jumps) are not drawn, but may define compressed names.
          position(key, nameOf(KIND_OF[key], value));
        }
        return;
      }
      const header = HEADER.exec(text);
      if (!header) fail(`not a callgrind line: ${JSON.stringify(text.slice(0, 80))}`);
      const [, key, value] = header!;
      if (key === "events") {
        events = value.trim().split(/\s+/);
        column = sampleIndex === undefined ? 0 : chooseSampleType(events, sampleIndex, source);
      } else if (key === "positions") {
        positions = value.trim().split(/\s+/).length;
      }
    },
    end(): ProfileMeta {
      if (!events) throw new InputError(source, "not a callgrind profile: no events: line");
      if (!graph.self.some((cost) => cost > 0)) throw new InputError(source, `callgrind profile holds no ${events[column]} costs`);
      addCallGraphStacks(graph, tree, checkDeadline);
      return { sampleType: events[column], unit: "count" };
    },
  };
}
