import { createReadStream, readFileSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { gunzipSync } from "node:zlib";

/**
 * The floor torch is measured against: the least any reader must do with
 * the input. Text: stream it, decode UTF-8 and cut it into line strings.
 * pprof: read it and gunzip it (Node's native zlib).
 *
 * Usage: node baseline.js lines|gunzip FILE
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

const [mode, path] = process.argv.slice(2);
if (mode === "lines") await longestLine(path);
else if (mode === "gunzip") gunzipSync(readFileSync(path));
else throw new Error("usage: baseline.js lines|gunzip FILE");
