/**
 * torch's inner units that its own tests exercise directly. package.json
 * maps the private specifier `#internals` here through "imports", which only
 * files inside this package can use: this is no part of the library API
 * (that is `torch-flamegraph`, src/index.ts) and may change at any time.
 */
export { parseArguments } from "./cli/arguments.js";
export { UsageError } from "./usage-error.js";
export { parseByteSize } from "./byte-size.js";
export { Deadline } from "./input/deadline.js";
export { looksLikeCpuProfile, readCpuProfile } from "./input/cpuprofile.js";
export { createPerfParser, looksLikePerfScript } from "./input/perf.js";
export { LineSplitter, MAX_LINE_BYTES } from "./input/line-splitter.js";
export { handBack, ReadBuffers } from "./input/read-buffers.js";
export { readPprof, readPprofStream } from "./input/pprof.js";
export { demangleRustLegacy } from "./input/rust-demangle.js";
export { createLabelFilter } from "./model/filters.js";
export { foldedChunks, foldedLines } from "./output/folded.js";
export { readPaletteFile, writePaletteFile } from "./output/palette-file.js";
export { showProgress } from "./progress.js";
export { scaledValue, withThousands } from "./svg/format.js";
