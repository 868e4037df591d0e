import type { ProfileMeta } from "../model/profile.js";

/**
 * A text reader fed one line at a time, so that large text inputs stream
 * through without ever being held as one string.
 */
export interface LineParser {
  /** One line, without its line terminator. */
  line(text: string): void;
  /** End of input. Throws InputError when the input held no stacks. */
  end(): ProfileMeta;
}
