/**
 * Caches a function of one key: frame names and regex verdicts repeat
 * across thousands of frames and stacks, and computing them (escaping,
 * regex tests, colour hashing) is what costs. Not for frame values, which
 * are mostly distinct: the map would grow by a miss per frame.
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
