/**
 * A strict XML 1.0 well-formedness check for torch's SVGs. xmlbuilder2's
 * parser is lenient (it accepts mismatched end tags, undefined entities and
 * control characters), so robustness tests use this instead: it throws on
 * anything a strict parser (a browser, xmllint) would reject. Names are
 * limited to ASCII, which is stricter than XML and all torch writes.
 */

const NAME = "[A-Za-z_:][-A-Za-z0-9._:]*";
/** Text: character data, references, comments, CDATA sections and processing instructions between tags. */
const TEXT = /[^<&]+|&(?:lt|gt|amp|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);|<!--(?:(?!--)[^])*-->|<!\[CDATA\[(?:(?!\]\]>)[^])*\]\]>|<\?[A-Za-z_][^]*?\?>/y;
const START_TAG = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^<"]*"|'[^<']*'))*)\\s*(/?)>`, "y");
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^<"]*)"|'([^<']*)')`, "g");
const END_TAG = new RegExp(`</(${NAME})\\s*>`, "y");
const XML_DECLARATION = /^<\?xml\s[^]*?\?>/;
/** Characters XML 1.0 allows; with the u flag, lone surrogates match none of these ranges. */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const REFERENCE = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|([A-Za-z]+));/g;

export function assertWellFormedXml(xml: string): void {
  const badChar = NOT_XML_CHAR.exec(xml);
  if (badChar) fail(`character U+${badChar[0].charCodeAt(0).toString(16)} is not allowed in XML`, badChar.index);
  const open: string[] = [];
  let rootSeen = false;
  let at = XML_DECLARATION.exec(xml)?.[0].length ?? 0;
  while (at < xml.length) {
    TEXT.lastIndex = at;
    const text = TEXT.exec(xml);
    if (text) {
      if (open.length === 0 && /^[^<&]/.test(text[0]) && text[0].trim() !== "") fail("text outside the root element", at);
      if (text[0].startsWith("&")) checkReferences(text[0], at);
      if (/^[^<&]/.test(text[0]) && text[0].includes("]]>")) fail("']]>' in text", at);
      at = TEXT.lastIndex;
      continue;
    }
    END_TAG.lastIndex = at;
    const end = END_TAG.exec(xml);
    if (end) {
      const expected = open.pop();
      if (expected !== end[1]) fail(`</${end[1]}> closes ${expected ? `<${expected}>` : "nothing"}`, at);
      at = END_TAG.lastIndex;
      continue;
    }
    START_TAG.lastIndex = at;
    const start = START_TAG.exec(xml);
    if (!start) fail("not a tag, text or reference", at);
    if (open.length === 0 && rootSeen) fail("a second root element", at);
    rootSeen = true;
    checkAttributes(start[2], at);
    if (start[3] !== "/") open.push(start[1]);
    at = START_TAG.lastIndex;
  }
  if (!rootSeen) fail("no root element", 0);
  if (open.length > 0) fail(`<${open[open.length - 1]}> is never closed`, xml.length);
}

function checkAttributes(attributes: string, at: number): void {
  const names = new Set<string>();
  for (const [, name, doubleQuoted, singleQuoted] of attributes.matchAll(ATTRIBUTE)) {
    if (names.has(name)) fail(`attribute ${name} given twice`, at);
    names.add(name);
    checkReferences(doubleQuoted ?? singleQuoted, at);
  }
}

/** Every `&` starts a predefined entity or a reference to an allowed character. */
function checkReferences(text: string, at: number): void {
  const ampersands = text.split("&").length - 1;
  let references = 0;
  for (const [, decimal, hex, entity] of text.matchAll(REFERENCE)) {
    references++;
    if (entity !== undefined && !["lt", "gt", "amp", "quot", "apos"].includes(entity)) fail(`undefined entity &${entity};`, at);
    if (entity === undefined) {
      const code = decimal !== undefined ? Number(decimal) : parseInt(hex, 16);
      if (code > 0x10ffff || NOT_XML_CHAR.test(String.fromCodePoint(code))) fail(`reference to a character XML does not allow (${code})`, at);
    }
  }
  if (references !== ampersands) fail("'&' that starts no reference", at);
}

function fail(problem: string, at: number): never {
  throw new Error(`not well-formed XML at offset ${at}: ${problem}`);
}
