/** A mistake in how torch was called (exit code 2), as opposed to bad input (1). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
