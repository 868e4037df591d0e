import { SaxesParser } from "saxes";
import { InputError } from "../model/profile.js";
import { parseCount, type Value } from "../model/value.js";
import type { ReadContext } from "./reader.js";

/**
 * Reads the `time-profile` table of `xctrace export` (see xctrace.ts), as
 * xctrace(1) and the public descriptions of its output show it: in
 * `<trace-query-result>`, a `<node>` holds the table's `<schema name="time-profile">`
 * and one `<row>` per sample, whose cells are elements named by their type:
 * `<sample-time>`, `<thread fmt="Main Thread 0x… (demo, pid: 42)">`, `<process>`,
 * `<core>`, `<thread-state>`, `<weight>` (nanoseconds) and the backtrace, a
 * `<tagged-backtrace>` holding a `<backtrace>` of `<frame name addr>` elements,
 * leaf first (newer Xcodes put the frames straight into the tagged-backtrace).
 * xctrace writes each value once, marked `id="N"`, and later copies of it as an
 * empty element `ref="N"`, at any depth and for any element: a row may reuse
 * a thread, a weight, a whole backtrace or single frames.
 *
 * Streamed with saxes: exports run to hundreds of megabytes, and only the
 * elements that carry an id need to be kept, not a document tree.
 * Each thread is one root frame, named as xctrace formats it.
 */

interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const TIME_PROFILE = "time-profile";
const EXPORT_COMMAND = `xctrace export --xpath '/trace-toc/run[@number="1"]/data/table[@schema="${TIME_PROFILE}"]'`;

export async function readTimeProfile(input: AsyncIterable<Uint8Array>, { source, tree, checkDeadline }: ReadContext, weighted: boolean): Promise<void> {
  const parser = new SaxesParser({ position: true });
  const byId = new Map<string, XmlElement>();
  /** The elements open inside the current row, the row first. */
  const open: XmlElement[] = [];
  let schema: string | undefined;
  let rows = 0;
  const fail = (message: string) => new InputError(source, `row ${rows + 1}: ${message}`);

  const addRow = (row: XmlElement) => {
    if (schema !== TIME_PROFILE) {
      throw new InputError(source, `an xctrace export of the ${JSON.stringify(schema ?? "unnamed")} table; torch reads the ${TIME_PROFILE} table (${EXPORT_COMMAND})`);
    }
    const cell = (...names: string[]) => row.children.find((child) => names.includes(child.name));
    const value = weighted ? weightOf(cell("weight"), fail) : 1;
    const thread = cell("thread");
    let node = thread ? tree.child(tree.root, tree.intern(threadName(thread))) : tree.root;
    const frames = framesOf(cell("tagged-backtrace", "backtrace"));
    for (let i = frames.length - 1; i >= 0; i--) node = tree.child(node, tree.intern(frameName(frames[i])));
    tree.addSelf(node, value);
    rows++;
  };

  parser.on("opentag", (tag) => {
    if (open.length === 0 && tag.name === "schema") schema = tag.attributes.name as string | undefined;
    if (open.length > 0 || tag.name === "row") open.push({ name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: "" });
  });
  parser.on("text", (text) => {
    if (open.length > 0) open[open.length - 1].text += text;
  });
  parser.on("closetag", () => {
    let element = open.pop();
    if (element === undefined) return;
    const { id, ref } = element.attributes;
    if (ref !== undefined) {
      const earlier = byId.get(ref);
      if (earlier === undefined) throw fail(`ref="${ref}" names no earlier element`);
      element = earlier;
    } else if (id !== undefined) {
      byId.set(id, element);
    }
    const parent = open.at(-1);
    if (parent) parent.children.push(element);
    else addRow(element);
  });

  const decoder = new TextDecoder();
  const parse = (text: string | null) => {
    try {
      if (text === null) parser.close();
      else parser.write(text);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(source, `not well-formed XML: ${(error as Error).message}`);
    }
  };
  for await (const chunk of input) {
    parse(decoder.decode(chunk, { stream: true }));
    checkDeadline();
  }
  parse(decoder.decode());
  parse(null);
  if (rows === 0) {
    throw new InputError(source, schema === undefined ? "an xctrace export with no table (<schema>) in it" : `the xctrace ${schema} table has no rows`);
  }
}

function weightOf(weight: XmlElement | undefined, fail: (message: string) => InputError): Value {
  const text = weight?.text.trim();
  if (text === undefined) throw fail("no <weight> (try --sample-index samples)");
  if (!/^\d+$/.test(text)) throw fail(`weight ${JSON.stringify(text)} is not a whole number of nanoseconds`);
  return parseCount(text);
}

/** The backtrace's frames, leaf first: its own, or those of the `<backtrace>` in it. */
function framesOf(backtrace: XmlElement | undefined): XmlElement[] {
  if (backtrace === undefined) return [];
  return backtrace.children.flatMap((child) => (child.name === "frame" ? [child] : child.name === "backtrace" ? child.children.filter((frame) => frame.name === "frame") : []));
}

function threadName(thread: XmlElement): string {
  const tid = thread.children.find((child) => child.name === "tid");
  return thread.attributes.fmt || `thread ${tid?.text.trim() ?? "?"}`;
}

/** The symbol, or the address of a frame that was not symbolicated. */
function frameName(frame: XmlElement): string {
  return frame.attributes.name || frame.attributes.addr || "???";
}
