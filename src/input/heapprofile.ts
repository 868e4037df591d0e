import { InputError, type ProfileMeta } from "../model/profile.js";
import type { StackTree } from "../model/stack-tree.js";
import { frameName, type CallFrame } from "./cpuprofile.js";
import type { ProfileReader } from "./reader.js";
import { readJson } from "./json-input.js";

/**
 * V8's sampling heap profile (`node --heap-prof`, DevTools "Allocation
 * sampling"; the protocol's HeapProfiler.SamplingHeapProfile): a call tree
 * from `head`, each node with its `callFrame`, the bytes allocated there and
 * still live (`selfSize`) and its child nodes. Frames are named as in
 * `.cpuprofile` files; the synthetic (root) is left out.
 */

interface HeapNode {
  callFrame?: Partial<CallFrame>;
  selfSize?: number;
  children?: HeapNode[];
}

export const heapProfileReader: ProfileReader = {
  name: "heapprofile",
  detect: (head) => head.text.trimStart().startsWith("{") && head.text.includes('"selfSize"') && head.text.includes('"head"'),
  read: async (input, { source, tree }) => {
    const json = await readJson(input, source);
    const head = (json as { head?: HeapNode } | null)?.head;
    if (typeof head !== "object" || head === null) throw new InputError(source, "not a V8 heap profile: missing head");
    return addHeapTree(head, tree, source);
  },
};

function addHeapTree(head: HeapNode, tree: StackTree, source: string): ProfileMeta {
  // Depth-first without recursion: stacks may be deep. Each entry is a node and its tree node.
  const pending: Array<[HeapNode, number]> = (head.children ?? []).map((child) => [child, tree.root]);
  let total = 0;
  while (pending.length > 0) {
    const [node, parent] = pending.pop()!;
    const { functionName = "", url = "", lineNumber = -1 } = node.callFrame ?? {};
    const id = tree.child(parent, tree.intern(frameName({ functionName, url, lineNumber })));
    const size = node.selfSize ?? 0;
    if (typeof size !== "number" || !(size >= 0)) throw new InputError(source, "not a V8 heap profile: selfSize is not a byte count");
    if (size > 0) tree.addSelf(id, size);
    total += size;
    for (const child of node.children ?? []) pending.push([child, id]);
  }
  if (total === 0) throw new InputError(source, "V8 heap profile holds no allocations");
  return { sampleType: "space", unit: "bytes" };
}
