// Small DOM helpers of the web UI; the element builder `h` is in apps/ui-kit/dom.ts.

/** Sets text only when it changed, so screen readers and selections are left alone. */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

/** A random id for idempotency keys, also where `crypto.randomUUID` is missing (plain http). */
export function newId(): string {
  if (typeof crypto.randomUUID === "function" && isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
