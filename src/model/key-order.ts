/**
 * The order of folded lines, decided one frame name at a time. stackcollapse
 * sorts its lines by code unit and flamegraph.pl lays siblings out in that
 * order, so comparing two siblings comes down to comparing their name
 * followed by the character after it on their first line: " " (the frame's
 * own line, count following), ";" (deeper lines) or nothing (the stack ends,
 * KEY_END, when stacks are sorted without their counts).
 */

/** "The key ends with the name": sorts before every character. */
export const KEY_END = -1;

/** Orders `a` then the character `endA` against `b` then `endB` (code units, or KEY_END), without building either key. */
export function compareNameKeys(a: string, endA: number, b: string, endB: number): number {
  if (a === b) return endA - endB;
  // Where one name is a prefix of the other, the shorter key's end meets the longer name's next character.
  if (a.length < b.length && b.startsWith(a)) return endA === b.charCodeAt(a.length) ? -1 : endA - b.charCodeAt(a.length);
  if (b.length < a.length && a.startsWith(b)) return endB === a.charCodeAt(b.length) ? 1 : a.charCodeAt(b.length) - endB;
  return a < b ? -1 : 1;
}
