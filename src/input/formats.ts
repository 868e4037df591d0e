import { callgrindReader } from "./callgrind.js";
import { chromeTraceReader } from "./chrome-trace.js";
import { ghcProfReader } from "./ghc-prof.js";
import { cpuProfileReader } from "./cpuprofile.js";
import { goroutineDumpReader } from "./goroutine-dump.js";
import { gperftoolsCpuReader } from "./gperftools-cpu.js";
import { heapProfileReader } from "./heapprofile.js";
import { dtraceReader } from "./dtrace.js";
import { foldedDiffReader, foldedReader } from "./folded.js";
import { perfReader } from "./perf.js";
import { macosSampleReader } from "./macos-sample.js";
import { pprofReader } from "./pprof-reader.js";
import { pprofTextReader } from "./pprof-text.js";
import { speedscopeReader } from "./speedscope.js";
import { stackprofReader } from "./stackprof.js";
import { xctraceReader } from "./xctrace.js";
import { vsCallTreeReader } from "./vs-calltree.js";
import { vtuneCsvReader } from "./vtune-csv.js";
import type { ProfileReader } from "./reader.js";

/**
 * Every input format, in the order detection tries them: specific signatures
 * first, folded stacks (any text) last.
 */
export const READERS: readonly ProfileReader[] = [pprofReader, gperftoolsCpuReader, pprofTextReader, goroutineDumpReader, macosSampleReader, xctraceReader, heapProfileReader, chromeTraceReader, speedscopeReader, stackprofReader, ghcProfReader, callgrindReader, vsCallTreeReader, vtuneCsvReader, cpuProfileReader, perfReader, dtraceReader, foldedDiffReader, foldedReader];

/** The `--format` names. */
export const FORMATS: readonly string[] = READERS.map((reader) => reader.name);

export function readerNamed(name: string): ProfileReader | undefined {
  return READERS.find((reader) => reader.name === name);
}
