/** A mistake in how torch was called (exit code 2), as opposed to bad input (1). */
export class UsageError extends Error {
  /**
   * @param help The help that explains the mistake: `torch diff --help` for
   *   the diff command's arguments, else `torch --help`.
   */
  constructor(
    message: string,
    readonly help = "torch --help",
  ) {
    super(message);
    this.name = "UsageError";
  }
}
