// nextFireAt against a brute-force oracle: random expressions, built together with the sets of
// values they stand for, and a minute-by-minute scan that reads wall clocks straight from Intl.
// The oracle shares no code with src/schedule/.

import { nextFireAt, parseCron } from "runlog";
import { describe, expect, it } from "vitest";

const MINUTE = 60_000;
const DAY = 86_400_000;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Generated {
  text: string;
  values: Set<number>;
  star: boolean;
}

/** A random field: `*`, a step, a range or a list, with the set of values it stands for. */
function field(rand: () => number, min: number, max: number, allowStar = true): Generated {
  const pick = () => min + Math.floor(rand() * (max - min + 1));
  const r = rand();
  if (allowStar && r < 0.3) {
    const values = new Set<number>();
    for (let v = min; v <= max; v++) values.add(v);
    return { text: "*", values, star: true };
  }
  if (r < 0.45) {
    const step = 1 + Math.floor(rand() * 20);
    const values = new Set<number>();
    for (let v = min; v <= max; v += step) values.add(v);
    return { text: `*/${step}`, values, star: false };
  }
  if (r < 0.6) {
    const a = pick();
    const b = pick();
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    const step = 1 + Math.floor(rand() * 4);
    const values = new Set<number>();
    for (let v = lo; v <= hi; v += step) values.add(v);
    return { text: step === 1 ? `${lo}-${hi}` : `${lo}-${hi}/${step}`, values, star: false };
  }
  const list = Array.from({ length: 1 + Math.floor(rand() * 3) }, pick);
  return { text: list.join(","), values: new Set(list), star: false };
}

interface Expr {
  text: string;
  minutes: Set<number>;
  hours: Set<number>;
  dom: Generated;
  months: Set<number>;
  dow: Generated;
}

function expression(rand: () => number, withDays: boolean): Expr {
  const minutes = field(rand, 0, 59);
  const hours = field(rand, 0, 23);
  const star = (min: number, max: number): Generated => field(() => 0, min, max);
  let dom = withDays ? field(rand, 1, 31) : star(1, 31);
  const months = withDays ? field(rand, 1, 12) : star(1, 12);
  let dow = withDays ? field(rand, 0, 6) : star(0, 6);
  // Keep only expressions that can fire: day-of-month alone within the months' lengths.
  const longest = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (dow.star || dom.star) {
    const ok = [...months.values].some((m) =>
      [...dom.values].some((d) => d <= (longest[m - 1] ?? 0)),
    );
    if (!ok) dom = star(1, 31);
  }
  if (rand() < 0.2 && !dow.star && dow.values.has(0)) {
    // 7 is Sunday too.
    dow = { ...dow, text: dow.text === "0" ? "7" : dow.text };
  }
  return {
    text: [minutes.text, hours.text, dom.text, months.text, dow.text].join(" "),
    minutes: minutes.values,
    hours: hours.values,
    dom,
    months: months.values,
    dow,
  };
}

interface Wall {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  wd: number;
  key: string;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const formats = new Map<string, Intl.DateTimeFormat>();

function wall(t: number, zone: string): Wall {
  let f = formats.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    formats.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  const w = {
    y: Number(p.year),
    mo: Number(p.month),
    d: Number(p.day),
    h: Number(p.hour) % 24,
    mi: Number(p.minute),
    wd: WEEKDAYS.indexOf(p.weekday as string),
  };
  return { ...w, key: `${w.y}-${w.mo}-${w.d} ${w.h}:${w.mi}` };
}

function dayMatches(e: Expr, d: number, wd: number): boolean {
  const dom = e.dom.values.has(d);
  const dow = e.dow.values.has(wd);
  return !e.dom.star && !e.dow.star ? dom || dow : dom && dow;
}

function wallMatches(e: Expr, w: Wall): boolean {
  return e.months.has(w.mo) && dayMatches(e, w.d, w.wd) && e.hours.has(w.h) && e.minutes.has(w.mi);
}

/** Fixed-offset zones: the first minute after `after` whose shifted UTC fields match. */
function oracleFixed(e: Expr, after: number, offsetMs: number): number {
  let t = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  for (;;) {
    const d = new Date(t + offsetMs);
    if (!e.months.has(d.getUTCMonth() + 1) || !dayMatches(e, d.getUTCDate(), d.getUTCDay())) {
      const nextDay = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      t = nextDay - offsetMs;
      continue;
    }
    if (e.hours.has(d.getUTCHours()) && e.minutes.has(d.getUTCMinutes())) return t;
    t += MINUTE;
  }
}

/**
 * DST zones, by the documented rule: instant t fires when its wall time matches and no earlier
 * instant within 3 h had that wall time (the first of a repeated hour), or when a matching wall
 * time the clocks skipped within the last 3 h lands on t, moved forward by the gap.
 */
function oracleZone(e: Expr, after: number, zone: string): number {
  const cache = new Map<number, Wall>();
  const at = (t: number) => {
    let w = cache.get(t);
    if (w === undefined) {
      w = wall(t, zone);
      cache.set(t, w);
    }
    return w;
  };
  const asUtc = (w: Wall) => Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi);
  const offset = (t: number) => asUtc(at(t)) - t;
  for (let t = Math.floor(after / MINUTE) * MINUTE + MINUTE; t < after + 3 * DAY; t += MINUTE) {
    const w = at(t);
    if (wallMatches(e, w)) {
      let repeat = false;
      for (let k = 1; k <= 12 && !repeat; k++) repeat = at(t - k * 15 * MINUTE).key === w.key;
      if (!repeat) return t;
    }
    const before = offset(t - 3 * 3_600_000);
    const now = offset(t);
    if (before < now) {
      const skipped = t + before; // the wall time that maps here, as UTC ms
      const exists = [before, now].some((o) => asUtc(at(skipped - o)) === skipped);
      if (!exists) {
        const d = new Date(skipped);
        const sw: Wall = {
          y: d.getUTCFullYear(),
          mo: d.getUTCMonth() + 1,
          d: d.getUTCDate(),
          h: d.getUTCHours(),
          mi: d.getUTCMinutes(),
          wd: d.getUTCDay(),
          key: "",
        };
        if (wallMatches(e, sw)) return t;
      }
    }
  }
  throw new Error(`oracle found no fire for ${e.text} within 3 days`);
}

const iso = (ms: number) => new Date(ms).toISOString();

describe("nextFireAt agrees with a brute-force scan", () => {
  it("in fixed-offset zones (UTC, Kolkata +05:30, Kathmandu +05:45), all five fields random", () => {
    const rand = prng(16);
    const zones: Array<[string, number]> = [
      ["UTC", 0],
      ["Asia/Kolkata", 5.5 * 3_600_000],
      ["Asia/Kathmandu", 5.75 * 3_600_000],
    ];
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const e = expression(rand, true);
      const [zone, offset] = zones[i % zones.length] as [string, number];
      const after = Date.UTC(2024, 0, 1) + Math.floor(rand() * 4 * 365 * DAY);
      const spec = parseCron(e.text);
      let t = after;
      for (let n = 0; n < 3; n++) {
        const want = oracleFixed(e, t, offset);
        expect(iso(nextFireAt(spec, t, zone)), `${e.text} in ${zone} after ${iso(t)}`).toBe(
          iso(want),
        );
        t = want;
        compared++;
      }
    }
    expect(compared).toBe(900);
  });

  it("around the 2026 DST changes of New York, Berlin and Lord Howe Island", () => {
    const rand = prng(2026);
    const changes: Array<[string, string]> = [
      ["America/New_York", "2026-03-08T07:00:00Z"],
      ["America/New_York", "2026-11-01T06:00:00Z"],
      ["Europe/Berlin", "2026-03-29T01:00:00Z"],
      ["Europe/Berlin", "2026-10-25T01:00:00Z"],
      ["Australia/Lord_Howe", "2026-04-04T15:00:00Z"],
      ["Australia/Lord_Howe", "2026-10-03T15:30:00Z"],
    ];
    let compared = 0;
    for (let i = 0; i < 120; i++) {
      const [zone, change] = changes[i % changes.length] as [string, string];
      const e = expression(rand, false);
      const spec = parseCron(e.text);
      // Start within 4 hours either side of the change, on a minute or between minutes.
      let t = Date.parse(change) + Math.floor((rand() - 0.5) * 8 * 3_600_000);
      for (let n = 0; n < 3; n++) {
        const want = oracleZone(e, t, zone);
        expect(iso(nextFireAt(spec, t, zone)), `${e.text} in ${zone} after ${iso(t)}`).toBe(
          iso(want),
        );
        t = want;
        compared++;
      }
    }
    expect(compared).toBe(360);
  });
});
