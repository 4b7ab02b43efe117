// How values read the same in both web apps. Durations, dates and ids stay in each app: they read
// differently there on purpose (the server's UI is more precise).

/** A value as one short line, cut at `max` characters with "…"; "" for `undefined`. */
export function preview(value: unknown, max = 80): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
