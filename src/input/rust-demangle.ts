/**
 * Rust's legacy symbol mangling (rustc's default before the v0 scheme): an
 * Itanium-style path `_ZN` + `<length><identifier>`... + `E`, whose last
 * identifier is the hash `h` + 16 hex digits, e.g.
 * `_ZN7workers5drive17ha61246b7c25c8c02E` for `workers::drive`.
 * Identifiers escape what a linker name cannot hold: `$LT$` `<`, `$GT$` `>`,
 * `$LP$` `(`, `$RP$` `)`, `$C$` `,`, `$SP$` `@`, `$BP$` `*`, `$RF$` `&`,
 * `$u7b$` (any character by its hex code), and `..` for `::`; one that does
 * not start with a letter gets a leading `_` (`_$LT$`).
 *
 * Older perf versions print these half demangled: joined by `::`, hash and
 * escapes kept (`_$LT$a..B$u20$as$u20$c..D$GT$::run::h0123456789abcdef`).
 */

const HASH = /^h[0-9a-f]{16}$/;
const HALF_DEMANGLED_HASH = /::h[0-9a-f]{16}$/;

/** `symbol` as Rust source names it, without the hash; unchanged when it is no legacy Rust symbol. */
export function demangleRustLegacy(symbol: string): string {
  const prefix = symbol.startsWith("_ZN") ? 3 : symbol.startsWith("__ZN") ? 4 : 0;
  const path = prefix > 0 ? mangledPath(symbol, prefix) : halfDemangledPath(symbol);
  if (path === undefined || path.length < 2 || !HASH.test(path[path.length - 1])) return symbol;
  return path.slice(0, -1).map(unescapeIdentifier).join("::");
}

/** The identifiers of `_ZN<len><ident>...E`; anything after the `E` (`.llvm.123`) is dropped. */
function mangledPath(symbol: string, start: number): string[] | undefined {
  const path: string[] = [];
  let at = start;
  while (at < symbol.length && symbol[at] !== "E") {
    let digitsEnd = at;
    while (digitsEnd < symbol.length && symbol[digitsEnd] >= "0" && symbol[digitsEnd] <= "9") digitsEnd++;
    const length = Number(symbol.slice(at, digitsEnd));
    if (digitsEnd === at || length === 0 || digitsEnd + length > symbol.length) return undefined;
    path.push(symbol.slice(digitsEnd, digitsEnd + length));
    at = digitsEnd + length;
  }
  return at < symbol.length ? path : undefined;
}

function halfDemangledPath(symbol: string): string[] | undefined {
  return HALF_DEMANGLED_HASH.test(symbol) ? symbol.split("::") : undefined;
}

const ESCAPES: Record<string, string> = { SP: "@", BP: "*", RF: "&", LT: "<", GT: ">", LP: "(", RP: ")", C: "," };

function unescapeIdentifier(identifier: string): string {
  const text = identifier.startsWith("_$") ? identifier.slice(1) : identifier;
  let out = "";
  for (let at = 0; at < text.length; ) {
    if (text.startsWith("..", at)) {
      out += "::";
      at += 2;
      continue;
    }
    const close = text[at] === "$" ? text.indexOf("$", at + 1) : -1;
    const escaped = close === -1 ? undefined : unescape(text.slice(at + 1, close));
    if (escaped === undefined) {
      out += text[at++];
    } else {
      out += escaped;
      at = close + 1;
    }
  }
  return out;
}

/** `LT` -> `<`, `u7b` -> `{`; undefined for anything else. */
function unescape(code: string): string | undefined {
  if (code in ESCAPES) return ESCAPES[code];
  if (!/^u[0-9a-f]{1,6}$/.test(code)) return undefined;
  const point = parseInt(code.slice(1), 16);
  return point <= 0x10ffff ? String.fromCodePoint(point) : undefined;
}
