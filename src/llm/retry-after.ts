/**
 * How long a 429 asks to wait, in ms: `retry-after-ms`, else `Retry-After` as seconds or as an HTTP
 * date (relative to `now`), else `undefined`.
 */
export function retryAfterMs(
  headers: { get(name: string): string | null },
  now: number,
): number | undefined {
  const msValue = headers.get("retry-after-ms")?.trim();
  const ms = msValue ? Number(msValue) : Number.NaN;
  if (Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
