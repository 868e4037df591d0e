import { createRequire } from "node:module";
import type * as Protobuf from "protobufjs";

const require = createRequire(import.meta.url);
let loaded: typeof Protobuf | undefined;

/**
 * protobufjs, loaded on first use: loading it takes a noticeable part of
 * torch's start-up, and only pprof input needs it.
 */
export function protobuf(): typeof Protobuf {
  loaded ??= require("protobufjs") as typeof Protobuf;
  return loaded;
}
