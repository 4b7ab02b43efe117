// How times, durations and ids read in the UI.

const timeFormat = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

/** "842 ms", "1.24 s", "3m 12s", "2h 05m", "3d 4h". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${Number(s.toFixed(2))} s`;
  if (s < 60) return `${Number(s.toFixed(1))} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, "0")}s`;
  const hours = Math.floor(m / 60);
  if (hours < 24) return `${hours}h ${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/** "just now", "12s ago", "5m ago", "3h ago", "2d ago"; "in 5m" for the future. */
export function formatRelative(ts: number, now = Date.now()): string {
  const diff = now - ts;
  const abs = Math.abs(diff);
  if (abs < 5_000) return "just now";
  let text: string;
  if (abs < 60_000) text = `${Math.floor(abs / 1000)}s`;
  else if (abs < 3_600_000) text = `${Math.floor(abs / 60_000)}m`;
  else if (abs < 86_400_000) text = `${Math.floor(abs / 3_600_000)}h`;
  else text = `${Math.floor(abs / 86_400_000)}d`;
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

/** "14:05:12.345". */
export function formatClock(ts: number): string {
  return `${timeFormat.format(ts)}.${String(new Date(ts).getMilliseconds()).padStart(3, "0")}`;
}

/** "Jul 3, 2026, 14:05:12". */
export function formatDateTime(ts: number): string {
  return dateTimeFormat.format(ts);
}

/** "+1.24 s" since the run's start. */
export function formatOffset(ms: number): string {
  return ms <= 0 ? "+0 ms" : `+${formatDuration(ms)}`;
}

/** A long id shortened in the middle for tight places: "3f2a9c…81be". */
export function shortId(id: string, keep = 8): string {
  return id.length <= keep * 2 + 1 ? id : `${id.slice(0, keep)}…${id.slice(-4)}`;
}

/** "in 42s", "in 3m 05s", or "any moment" when the time has (nearly) come. */
export function formatCountdown(ts: number, now = Date.now()): string {
  const left = ts - now;
  if (left < 1000) return "any moment";
  return `in ${left < 60_000 ? `${Math.ceil(left / 1000)}s` : formatDuration(left)}`;
}
