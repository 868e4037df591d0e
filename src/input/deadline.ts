import type { InputError } from "../model/profile.js";

/** A time by which a source must have been read and decoded, and the error to report after it. */
export class Deadline {
  constructor(
    readonly at: number,
    readonly error: InputError,
  ) {}

  /** Throws the error once the time is past; cheap enough for a loop to call now and then. */
  check(): void {
    if (Date.now() > this.at) throw this.error;
  }
}