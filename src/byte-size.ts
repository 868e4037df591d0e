/** Byte counts as people write them, for limits in flags and messages. */

const UNITS: ReadonlyArray<readonly [string, number]> = [
  ["GiB", 2 ** 30],
  ["MiB", 2 ** 20],
  ["KiB", 2 ** 10],
];

/** 64 MiB, 4 GiB, or plain bytes when no binary unit divides the count. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of UNITS) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}
