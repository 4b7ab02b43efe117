import { canonicalJson } from "./canonical-json.ts";

/** The slice of WebCrypto the core uses; browsers, Workers and Node all provide it as `crypto`. */
interface SubtleDigest {
  digest(algorithm: "SHA-256", data: Uint8Array): Promise<ArrayBuffer>;
}
interface TextEncoderLike {
  encode(input: string): Uint8Array;
}
declare const crypto: { subtle: SubtleDigest };
declare const TextEncoder: { new (): TextEncoderLike };

/** SHA-256 of the UTF-8 bytes of `text`, as lowercase hex. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const bytes = new Uint8Array(digest);
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** SHA-256 of the canonical JSON of `value`. */
export function hashJson(value: unknown): Promise<string> {
  return sha256Hex(canonicalJson(value));
}
