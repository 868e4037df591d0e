/** Below this many bytes, a copy goes byte by byte: `set(subarray(...))` and Buffer#copy of a range make a view object per call. */
const SHORT_COPY_BYTES = 256;

/**
 * Copies `from[start..end)` into `to` at `at`; returns the offset after it.
 * For copies made per sample or per frame name, where a view per call was
 * most of what the loop allocated.
 */
export function copyBytes(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): number {
  if (end - start >= SHORT_COPY_BYTES) {
    to.set(from.subarray(start, end), at);
    return at + end - start;
  }
  for (let i = start; i < end; i++) to[at++] = from[i];
  return at;
}
