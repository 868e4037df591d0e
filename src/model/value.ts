/**
 * A profile value. Values are doubles, exact up to 2^53; a count or int64
 * beyond that arrives as a bigint so that no digit is lost (the tree then
 * keeps exact sums beside its doubles).
 */
export type Value = number | bigint;

const DIGITS = /^\d+$/;

/** A decimal count as read from text: a number while that is exact, otherwise a bigint. */
export function parseCount(text: string): Value {
  const value = Number(text);
  return Number.isSafeInteger(value) || !DIGITS.test(text) ? value : BigInt(text);
}

/** The sum of values of one kind (all numbers, or all bigints, as `StackTree.exactTotals` gives them). */
export function plus(a: Value, b: Value): Value {
  return typeof a === "bigint" || typeof b === "bigint" ? BigInt(a) + BigInt(b) : a + b;
}

/** `value` times a --factor: exact while the factor is 1. */
export function scaledBy(value: Value, factor: number): Value {
  return factor === 1 ? value : Number(value) * factor;
}
