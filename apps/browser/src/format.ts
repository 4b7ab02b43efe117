// How times, durations, ids and values read in the app.

const clock = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});
const dateTime = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

/** "842 ms", "1.2 s", "3m 12s", "2h 05m", "3d 4h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  const hours = Math.floor(m / 60);
  if (hours < 24) return `${hours}h ${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** "just now", "12s ago", "5m ago"; "in 5s" for the future. */
export function formatRelative(ts: number, now = Date.now()): string {
  const diff = now - ts;
  const abs = Math.abs(diff);
  if (abs < 3_000 && diff >= 0) return "just now";
  let text: string;
  if (abs < 60_000) text = `${Math.max(1, Math.round(abs / 1000))}s`;
  else if (abs < 3_600_000) text = `${Math.floor(abs / 60_000)}m`;
  else if (abs < 86_400_000) text = `${Math.floor(abs / 3_600_000)}h`;
  else text = `${Math.floor(abs / 86_400_000)}d`;
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

/** "14:05:12". */
export function formatClock(ts: number): string {
  return clock.format(ts);
}

/** "Jul 3, 14:05:12". */
export function formatDateTime(ts: number): string {
  return dateTime.format(ts);
}

/** "+1.2 s" since the run's start. */
export function formatOffset(ms: number): string {
  return ms <= 0 ? "+0 ms" : `+${formatDuration(ms)}`;
}

/** The first 8 characters of an id. */
export function shortId(id: string): string {
  return id.length <= 10 ? id : id.slice(0, 8);
}

/** A value as indented JSON. */
export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? "undefined";
}
