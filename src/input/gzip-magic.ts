/** True when bytes start with gzip's magic number (RFC 1952): the input is gunzipped before its format is detected. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}
