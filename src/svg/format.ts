/** How frame values and labels read in the SVG. */
import type { Value } from "../model/value.js";

/** A comma before each group of three digits that ends the integer part. */
const THOUSANDS_GAP = /\B(?=(\d{3})+$)/g;

/**
 * A count with thousands separators (`1,234,567`), every digit of a bigint
 * kept. Grouped by hand rather than with Intl.NumberFormat: building that
 * loads ICU data, about 6 ms of a small run's start-up, and the viewer would
 * need it for thousands of frame titles at once.
 */
export function withThousands(value: Value): string {
  return String(typeof value === "bigint" ? value : Math.round(value)).replace(THOUSANDS_GAP, ",");
}

const BYTE_UNITS = ["B", "kB", "MB", "GB", "TB", "PB"];

function scaled(value: number, base: number, units: readonly string[]): string {
  let unit = 0;
  let v = Math.abs(value);
  while (v >= base && unit < units.length - 1) {
    v /= base;
    unit++;
  }
  const digits = unit === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${value < 0 ? "-" : ""}${v.toFixed(digits)} ${units[unit]}`;
}

/**
 * A value with its unit, as people read it: durations and sizes scaled
 * (`1.20 s`, `3.50 MB`, pprof's 1024-based sizes), counts with thousands
 * separators and the count name (`1,234 samples`).
 */
export function formatValue(value: Value, unit: string, countName: string): string {
  return scaledValue(value, unit) ?? `${withThousands(value)} ${countName}`;
}

/** A duration or size in its scaled unit (`1.20 s`, `3.50 MB`); undefined for plain counts. */
export function scaledValue(exact: Value, unit: string): string | undefined {
  const value = Number(exact);
  switch (unit) {
    case "nanoseconds":
      return formatDuration(value / 1e9);
    case "microseconds":
      return formatDuration(value / 1e6);
    case "milliseconds":
      return formatDuration(value / 1e3);
    case "seconds":
      return formatDuration(value);
    case "bytes":
      return scaled(value, 1024, BYTE_UNITS);
    default:
      return undefined;
  }
}

function formatDuration(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs === 0) return "0 s";
  if (abs >= 1) return `${seconds.toFixed(2)} s`;
  if (abs >= 1e-3) return `${(seconds * 1e3).toFixed(abs >= 0.1 ? 0 : abs >= 0.01 ? 1 : 2)} ms`;
  if (abs >= 1e-6) return `${(seconds * 1e6).toFixed(abs >= 1e-4 ? 0 : abs >= 1e-5 ? 1 : 2)} µs`;
  return `${(seconds * 1e9).toFixed(0)} ns`;
}

/** Percentage with two decimals, as flamegraph.pl writes it. */
export function percent(part: Value, whole: Value): string {
  return Number(whole) === 0 ? "0.00" : ((100 * Number(part)) / Number(whole)).toFixed(2);
}

/**
 * flamegraph.pl's label fitting: as many characters as the width holds at the
 * average glyph width; names that do not fit end in "..", and no label at
 * all when fewer than three characters fit.
 */
export function fitLabel(name: string, widthPx: number, fontSize: number, fontWidth: number): string {
  const chars = Math.floor(widthPx / (fontSize * fontWidth));
  if (chars < 3) return "";
  if (name.length <= chars) return name;
  return name.slice(0, chars - 2) + "..";
}
