import { writeFileSync } from "node:fs";
import { join } from "node:path";
import protobuf from "protobufjs";
import { repoRoot } from "./cli.js";

/**
 * Writes a pprof file encoded from the published schema (proto/profile.proto):
 * two functions, main and work; even-numbered samples are main -> work, odd
 * ones main alone. Sample types are [type, unit] names; int64 values may be
 * decimal strings, for values a double cannot hold.
 */
export function writeTwoFramePprof(path: string, sampleTypes: Array<[string, string]>, values: Array<Array<number | string>>): string {
  const Profile = protobuf.loadSync(join(repoRoot, "proto/profile.proto")).lookupType("perftools.profiles.Profile");
  const strings = ["", "main", "work"];
  const index = (text: string) => (strings.includes(text) ? strings.indexOf(text) : strings.push(text) - 1);
  const message = Profile.create({
    sampleType: sampleTypes.map(([type, unit]) => ({ type: index(type), unit: index(unit) })),
    sample: values.map((value, i) => ({ locationId: i % 2 === 0 ? [2, 1] : [1], value })),
    location: [
      { id: 1, line: [{ functionId: 1 }] },
      { id: 2, line: [{ functionId: 2 }] },
    ],
    function: [
      { id: 1, name: 1 },
      { id: 2, name: 2 },
    ],
    stringTable: strings,
  });
  writeFileSync(path, Profile.encode(message).finish());
  return path;
}
