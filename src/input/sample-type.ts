import { InputError } from "../model/profile.js";

/**
 * pprof's rule for profiles that name their sample types but mark no default:
 * a name or 0-based index picks one, else the last.
 */
export function chooseSampleType(names: readonly string[], wanted: string | number | undefined, source: string): number {
  if (wanted === undefined) return names.length - 1;
  const index = typeof wanted === "number" || /^\d+$/.test(wanted) ? Number(wanted) : names.indexOf(wanted);
  if (index < 0 || index >= names.length) {
    throw new InputError(source, `no sample type ${JSON.stringify(wanted)}; this profile has: ${names.join(", ")}`);
  }
  return index;
}
