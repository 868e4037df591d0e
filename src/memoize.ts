/**
 * Caches a function of one key: frame names, values and regex verdicts repeat
 * across thousands of frames and stacks, and computing them (escaping,
 * number formatting, regex tests, colour hashing) is what costs.
 */
export function memoize<K, V>(compute: (key: K) => V): (key: K) => V {
  const results = new Map<K, V>();
  return (key) => {
    let result = results.get(key);
    if (result === undefined) {
      result = compute(key);
      results.set(key, result);
    }
    return result;
  };
}
