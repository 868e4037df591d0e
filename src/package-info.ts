import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_NAME = "torch-flamegraph";

interface PackageJson {
  name?: string;
  version: string;
}

let found: { root: string; manifest: PackageJson } | undefined;

/**
 * The folder torch is installed in, found by walking up from this module to
 * torch's own package.json: the same answer from the repository's dist/, a
 * global npm install or one bundled file, and never the working directory.
 */
function installation(): { root: string; manifest: PackageJson } {
  if (found) return found;
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
      if (manifest.name === PACKAGE_NAME) return (found = { root: dir, manifest });
    } catch {
      // No package.json here (or not ours): keep climbing.
    }
    if (dirname(dir) === dir) throw new Error(`cannot find ${PACKAGE_NAME}'s package.json above ${fileURLToPath(import.meta.url)}`);
  }
}

/** A file shipped with the package (templates/, proto/, dist/...), by its path inside the package. */
export function packageFile(relativePath: string): string {
  return join(installation().root, relativePath);
}

export function packageVersion(): string {
  return installation().manifest.version;
}
