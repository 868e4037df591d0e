const REASONS: Record<string, string> = {
  ENOTDIR: "part of its path is not a directory",
  EISDIR: "is a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ENOSPC: "no space left on device",
};

/**
 * A file-system failure in a few words for a one-line message; a missing
 * path means a missing file when reading and a missing directory when writing.
 */
export function describeFsError(error: NodeJS.ErrnoException, access: "read" | "write"): string {
  if (error.code === "ENOENT") return access === "read" ? "no such file" : "its directory does not exist";
  return REASONS[error.code ?? ""] ?? error.message;
}
