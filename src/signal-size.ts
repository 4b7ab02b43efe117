import type { Json } from "./json.ts";

/** The UTF-8 size of a signal's name and JSON value. */
export function signalBytes(name: string, value: Json): number {
  return utf8Length(name) + utf8Length(JSON.stringify(value) ?? "null");
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
