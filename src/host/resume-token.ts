import { ValidationError } from "../errors.ts";

/**
 * Resume tokens: the link a host hands a human approver. Each allows answering one interrupt of
 * one run until it expires, and is `rt1.<claims>.<signature>` in base64url, the signature an
 * HMAC-SHA-256 of `rt1.<claims>` under the host's secret (WebCrypto, so the same in browsers,
 * Workers and Node).
 */

/** What a resume token says. `exp` is ms since the epoch. */
export interface ResumeTokenClaims {
  runId: string;
  interruptId: string;
  exp: number;
}

/** What `verifyResumeToken` found: the claims, or why the token is refused. */
export type ResumeTokenCheck =
  | ({ ok: true } & ResumeTokenClaims)
  | { ok: false; reason: "malformed" | "signature" | "expired" };

/** What `mintResumeToken` needs: the run, its interrupt, how long the token lives, and the time now. */
export interface MintResumeTokenOptions {
  runId: string;
  interruptId: string;
  ttlMs: number;
  now: number;
}

/** The slice of WebCrypto used here; browsers, Workers and Node all provide it as `crypto`. */
interface HmacKey {
  readonly type: string;
}
interface SubtleHmac {
  importKey(
    format: "raw",
    keyData: Uint8Array,
    algorithm: { name: "HMAC"; hash: "SHA-256" },
    extractable: false,
    usages: Array<"sign" | "verify">,
  ): Promise<HmacKey>;
  sign(algorithm: "HMAC", key: HmacKey, data: Uint8Array): Promise<ArrayBuffer>;
  verify(
    algorithm: "HMAC",
    key: HmacKey,
    signature: Uint8Array,
    data: Uint8Array,
  ): Promise<boolean>;
}
declare const crypto: { subtle: SubtleHmac };
declare const TextEncoder: { new (): { encode(input: string): Uint8Array } };
declare const TextDecoder: {
  new (label: "utf-8", options: { fatal: true }): { decode(input: Uint8Array): string };
};
declare function btoa(data: string): string;
declare function atob(data: string): string;

const PREFIX = "rt1.";

/** True when `token` has the shape of a resume token (whether or not it is valid). */
export function isResumeTokenShaped(token: string): boolean {
  return token.startsWith(PREFIX) && token.split(".").length === 3;
}

/**
 * Mints a token allowing one resume of `interruptId` in `runId` until `now + ttlMs`.
 * @throws ValidationError for an empty secret, empty ids or a ttl that is not a positive integer.
 */
export async function mintResumeToken(
  secret: string,
  options: MintResumeTokenOptions,
): Promise<string> {
  const { runId, interruptId, ttlMs, now } = options;
  if (typeof runId !== "string" || runId.length === 0)
    throw new ValidationError("a resume token needs a runId");
  if (typeof interruptId !== "string" || interruptId.length === 0) {
    throw new ValidationError("a resume token needs an interruptId");
  }
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
    throw new ValidationError("a resume token's ttlMs must be a positive integer");
  const claims: ResumeTokenClaims = { runId, interruptId, exp: now + ttlMs };
  const body = `${PREFIX}${encode(new TextEncoder().encode(JSON.stringify(claims)))}`;
  const signature = await crypto.subtle.sign(
    "HMAC",
    await keyOf(secret),
    new TextEncoder().encode(body),
  );
  return `${body}.${encode(new Uint8Array(signature))}`;
}

/**
 * Checks a resume token's signature (in constant time, by WebCrypto) and expiry at `now`.
 * Never throws for a bad token: it answers why the token is refused.
 * @throws ValidationError for an empty secret.
 */
export async function verifyResumeToken(
  secret: string,
  token: string,
  now: number,
): Promise<ResumeTokenCheck> {
  const key = await keyOf(secret);
  if (typeof token !== "string" || !isResumeTokenShaped(token))
    return { ok: false, reason: "malformed" };
  const cut = token.lastIndexOf(".");
  const body = token.slice(0, cut);
  const signature = decode(token.slice(cut + 1));
  if (!signature) return { ok: false, reason: "malformed" };
  const valid = await crypto.subtle.verify("HMAC", key, signature, new TextEncoder().encode(body));
  if (!valid) return { ok: false, reason: "signature" };
  const claims = parseClaims(body.slice(PREFIX.length));
  if (!claims) return { ok: false, reason: "malformed" };
  if (!(now < claims.exp)) return { ok: false, reason: "expired" };
  return { ok: true, ...claims };
}

function keyOf(secret: string): Promise<HmacKey> {
  if (typeof secret !== "string" || secret.length === 0)
    throw new ValidationError("resume tokens need a non-empty secret");
  const raw = new TextEncoder().encode(secret);
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

function parseClaims(encoded: string): ResumeTokenClaims | undefined {
  const bytes = decode(encoded);
  if (!bytes) return undefined;
  try {
    const value = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(bytes),
    ) as Partial<ResumeTokenClaims> | null;
    if (!value || typeof value.runId !== "string" || typeof value.interruptId !== "string")
      return undefined;
    if (typeof value.exp !== "number" || !Number.isFinite(value.exp)) return undefined;
    return { runId: value.runId, interruptId: value.interruptId, exp: value.exp };
  } catch {
    return undefined;
  }
}

function encode(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decode(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}
