// Five-field cron expressions (minute hour day-of-month month day-of-week), parsed into plain data
// that `nextFireAt` walks. Our own small parser: the core takes no dependencies.

import { ValidationError } from "../errors.ts";

/** A parsed cron expression: the values each field allows, ascending. Plain JSON data. */
export interface CronSpec {
  type: "cron";
  /** The expression as given (trimmed). */
  expression: string;
  minutes: readonly number[];
  hours: readonly number[];
  daysOfMonth: readonly number[];
  months: readonly number[];
  /** 0 = Sunday … 6 = Saturday (`7` in the expression is Sunday too). */
  daysOfWeek: readonly number[];
  /**
   * `either` when both day fields are restricted (not `*`): a day matches when either matches, as
   * in POSIX cron. Otherwise `both`.
   */
  dayMatch: "either" | "both";
}

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTH_NAMES = [
  "JAN",
  "FEB",
  "MAR",
  "APR",
  "MAY",
  "JUN",
  "JUL",
  "AUG",
  "SEP",
  "OCT",
  "NOV",
  "DEC",
];
const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: readonly Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTH_NAMES },
  { name: "day-of-week", min: 0, max: 7, names: DAY_NAMES },
];

const MACROS: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** The longest each month can be (February in a leap year). */
const MONTH_LENGTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses a 5-field cron expression: `*`, numbers, lists `a,b`, ranges `a-b`, steps `*\/n` and
 * `a-b/n`, month names `JAN`…`DEC` and weekday names `SUN`…`SAT` (any case), `7` for Sunday, and
 * the macros `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`.
 * @throws ValidationError naming the field and the bad token, e.g.
 *   `cron "61 * * * *": minute 61 is outside 0-59`; also for an expression that can never fire.
 */
export function parseCron(expression: string): CronSpec {
  if (typeof expression !== "string") {
    throw new ValidationError(`cron expression must be a string, got ${typeof expression}`);
  }
  const trimmed = expression.trim();
  const fail = (why: string): never => {
    throw new ValidationError(`cron ${JSON.stringify(trimmed)}: ${why}`);
  };
  const macro = MACROS[trimmed.toLowerCase()];
  const source = macro ?? trimmed;
  if (source.startsWith("@"))
    fail(`unknown macro ${source} (known: ${Object.keys(MACROS).join(", ")})`);
  const parts = source === "" ? [] : source.split(/\s+/);
  if (parts.length !== 5) {
    fail(`expected 5 fields (minute hour day-of-month month day-of-week) but got ${parts.length}`);
  }
  const [minutes, hours, daysOfMonth, months, rawDays] = FIELDS.map((field, i) =>
    parseField(parts[i] as string, field, fail),
  ) as [number[], number[], number[], number[], number[]];
  const daysOfWeek = [...new Set(rawDays.map((d) => d % 7))].sort((a, b) => a - b);
  const domRestricted = parts[2] !== "*";
  const dowRestricted = parts[4] !== "*";
  // Only the day-of-month field alone can rule out every date (31 in a 30-day month).
  if (!dowRestricted || !domRestricted) {
    const possible = months.some((m) => daysOfMonth.some((d) => d <= (MONTH_LENGTH[m - 1] ?? 0)));
    if (!possible) {
      fail(`never fires: day-of-month ${parts[2]} does not occur in month ${parts[3]}`);
    }
  }
  return {
    type: "cron",
    expression: trimmed,
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek,
    dayMatch: domRestricted && dowRestricted ? "either" : "both",
  };
}

function parseField(text: string, field: Field, fail: (why: string) => never): number[] {
  const values = new Set<number>();
  for (const item of text.split(",")) {
    if (item === "") fail(`${field.name} has an empty list item in "${text}"`);
    const [range, stepText, extra] = item.split("/");
    if (extra !== undefined) fail(`${field.name} ${item} has more than one "/"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText)) fail(`${field.name} step "${stepText}" is not a number`);
      step = Number(stepText);
      if (step < 1) fail(`${field.name} step ${stepText} must be at least 1`);
    }
    let low: number;
    let high: number;
    if (range === "*") {
      low = field.min;
      // `*` on day-of-week is 0-6: 7 is Sunday again.
      high = field.name === "day-of-week" ? 6 : field.max;
    } else {
      const bounds = (range as string).split("-");
      if (bounds.length > 2) fail(`${field.name} range ${range} has more than one "-"`);
      low = tokenValue(bounds[0] as string, field, fail);
      if (bounds.length === 2) {
        high = tokenValue(bounds[1] as string, field, fail);
        if (high < low) fail(`${field.name} range ${range} runs backwards`);
      } else {
        if (stepText !== undefined) {
          fail(
            `${field.name} step ${item} needs a range or * before "/" (e.g. ${range}-${field.max}/${stepText})`,
          );
        }
        high = low;
      }
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

function tokenValue(token: string, field: Field, fail: (why: string) => never): number {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    if (n < field.min || n > field.max)
      fail(`${field.name} ${token} is outside ${field.min}-${field.max}`);
    return n;
  }
  const index = field.names?.indexOf(token.toUpperCase()) ?? -1;
  if (index >= 0) return field.name === "month" ? index + 1 : index;
  if (token === "") fail(`${field.name} has an empty value`);
  const names =
    field.names === undefined ? "" : ` or a name ${field.names[0]}-${field.names.at(-1)}`;
  return fail(`${field.name} ${token} is not a number${names}`);
}
