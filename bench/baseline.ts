import { createReadStream, readFileSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { fileURLToPath } from "node:url";
import { inflate } from "pako";
import protobuf from "protobufjs";

/**
 * The floor torch is measured against: the least any reader must do with
 * the input. Text: stream it, decode UTF-8 and cut it into line strings.
 * pprof: gunzip and decode the protobuf with protobufjs.
 *
 * Usage: node baseline.js lines|pprof FILE
 */
async function longestLine(path: string): Promise<number> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let longest = 0;
  for await (const chunk of createReadStream(path)) {
    const text = carry + decoder.write(chunk as Buffer);
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      const line = text.slice(start, nl);
      if (line.length > longest) longest = line.length;
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  return longest;
}

function decodePprof(path: string): number {
  const schema = protobuf.loadSync(fileURLToPath(new URL("../../proto/profile.proto", import.meta.url)));
  const profile = schema.lookupType("perftools.profiles.Profile").decode(inflate(readFileSync(path))) as unknown as { sample: unknown[] };
  return profile.sample.length;
}

const [mode, path] = process.argv.slice(2);
if (mode === "lines") await longestLine(path);
else if (mode === "pprof") decodePprof(path);
else throw new Error("usage: baseline.js lines|pprof FILE");
