import { escapeUTF8 } from "entities";

/**
 * Characters that XML 1.0 forbids even as references (C0 controls other than
 * tab/newline/return, lone surrogates, U+FFFE/U+FFFF), plus the bidirectional
 * controls that would let a name visually reorder the text around it. They
 * are shown as visible escapes instead.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visibleEscape(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Makes a profile-supplied string displayable: every character is kept visible, none can act. */
export function displayable(text: string): string {
  return text.replace(UNSAFE, visibleEscape);
}

/** Escapes profile data for XML text or a double-quoted attribute. */
export function xmlEscape(text: string): string {
  return escapeUTF8(displayable(text));
}

/**
 * stackcollapse annotations (`_[k]` kernel, `_[j]` JIT, `_[i]` inlined,
 * `_[w]` waker) choose colours but are not shown, as in flamegraph.pl.
 */
export function withoutAnnotation(name: string): string {
  return name.endsWith("]") ? name.replace(/_\[[kwij]\]$/, "") : name;
}

/** A frame name as every view shows it: without annotation, every character visible. */
export function shownName(name: string): string {
  return displayable(withoutAnnotation(name));
}
