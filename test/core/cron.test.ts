// Cron and interval schedule specs: parsing, next fire times in time zones (DST included) and
// catch-up planning. Expected times are written by hand from calendars and the zones' rules
// (checked against `zdump`), never taken from the code's own output.

import { type CronSpec, nextFireAt, parseCron, ValidationError } from "runlog";
import { describe, expect, it } from "vitest";
import { planCatchUp } from "../../src/schedule/missed.ts";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");

/** [expression, time zone, after, the next fires in order]. */
type Row = [string, string, string, string[]];

/** The successive fire times after `after`. */
function fires(expression: string, timeZone: string, after: string, count: number): string[] {
  const spec = parseCron(expression);
  const out: string[] = [];
  let t = at(after);
  for (let i = 0; i < count; i++) {
    t = nextFireAt(spec, t, timeZone);
    out.push(iso(t));
  }
  return out;
}

function table(rows: Row[]) {
  for (const [expression, zone, after, expected] of rows) {
    it(`${expression} in ${zone} after ${after}`, () => {
      expect(fires(expression, zone, after, expected.length)).toEqual(expected);
    });
  }
}

describe("cron syntax (UTC)", () => {
  table([
    ["* * * * *", "UTC", "2026-01-01T00:00:00Z", ["2026-01-01T00:01:00Z", "2026-01-01T00:02:00Z"]],
    ["* * * * *", "UTC", "2026-01-01T00:00:30.500Z", ["2026-01-01T00:01:00Z"]],
    ["5 * * * *", "UTC", "2026-01-01T00:05:00Z", ["2026-01-01T01:05:00Z", "2026-01-01T02:05:00Z"]],
    [
      "0,15,45 * * * *",
      "UTC",
      "2026-01-01T00:00:00Z",
      ["2026-01-01T00:15:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:00:00Z"],
    ],
    [
      "10-12 * * * *",
      "UTC",
      "2026-01-01T00:00:00Z",
      [
        "2026-01-01T00:10:00Z",
        "2026-01-01T00:11:00Z",
        "2026-01-01T00:12:00Z",
        "2026-01-01T01:10:00Z",
      ],
    ],
    [
      "*/20 * * * *",
      "UTC",
      "2026-01-01T00:00:00Z",
      ["2026-01-01T00:20:00Z", "2026-01-01T00:40:00Z", "2026-01-01T01:00:00Z"],
    ],
    [
      "10-30/10 * * * *",
      "UTC",
      "2026-01-01T00:00:00Z",
      [
        "2026-01-01T00:10:00Z",
        "2026-01-01T00:20:00Z",
        "2026-01-01T00:30:00Z",
        "2026-01-01T01:10:00Z",
      ],
    ],
    [
      "0 */6 * * *",
      "UTC",
      "2026-01-01T00:00:00Z",
      [
        "2026-01-01T06:00:00Z",
        "2026-01-01T12:00:00Z",
        "2026-01-01T18:00:00Z",
        "2026-01-02T00:00:00Z",
      ],
    ],
    [
      "0 9-17/4 * * *",
      "UTC",
      "2026-01-01T00:00:00Z",
      [
        "2026-01-01T09:00:00Z",
        "2026-01-01T13:00:00Z",
        "2026-01-01T17:00:00Z",
        "2026-01-02T09:00:00Z",
      ],
    ],
    [
      "0 0 1 JAN-MAR/2 *",
      "UTC",
      "2026-01-01T00:00:00Z",
      ["2026-03-01T00:00:00Z", "2027-01-01T00:00:00Z"],
    ],
    [
      "0 0 1 jul *",
      "UTC",
      "2026-01-01T00:00:00Z",
      ["2026-07-01T00:00:00Z", "2027-07-01T00:00:00Z"],
    ],
    [
      "0 0 1 7,Dec *",
      "UTC",
      "2026-08-01T00:00:00Z",
      ["2026-12-01T00:00:00Z", "2027-07-01T00:00:00Z"],
    ],
    // 2026-01-01 is a Thursday.
    [
      "0 0 * * MON-FRI",
      "UTC",
      "2026-01-01T00:00:00Z",
      ["2026-01-02T00:00:00Z", "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z"],
    ],
    ["0 0 * * 7", "UTC", "2026-01-01T00:00:00Z", ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]],
    ["0 0 * * 0", "UTC", "2026-01-01T00:00:00Z", ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]],
    ["0 0 * * sun", "UTC", "2026-01-01T00:00:00Z", ["2026-01-04T00:00:00Z"]],
    [
      "0 0 * * 5-7",
      "UTC",
      "2026-01-01T00:00:00Z",
      [
        "2026-01-02T00:00:00Z",
        "2026-01-03T00:00:00Z",
        "2026-01-04T00:00:00Z",
        "2026-01-09T00:00:00Z",
      ],
    ],
    [
      "0 12 * * sat,SUN",
      "UTC",
      "2026-01-01T00:00:00Z",
      ["2026-01-03T12:00:00Z", "2026-01-04T12:00:00Z", "2026-01-10T12:00:00Z"],
    ],
    // Sundays, Tuesdays, Thursdays and Saturdays (0, 2, 4, 6).
    [
      "0 0 * * */2",
      "UTC",
      "2026-01-01T00:00:00Z",
      [
        "2026-01-03T00:00:00Z",
        "2026-01-04T00:00:00Z",
        "2026-01-06T00:00:00Z",
        "2026-01-08T00:00:00Z",
      ],
    ],
    ["05 09 * * *", "UTC", "2026-01-01T00:00:00Z", ["2026-01-01T09:05:00Z"]],
    ["  0   0  * * *  ", "UTC", "2026-01-01T00:00:00Z", ["2026-01-02T00:00:00Z"]],
    [
      "59 23 31 12 *",
      "UTC",
      "2026-06-01T00:00:00Z",
      ["2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z"],
    ],
    ["@hourly", "UTC", "2026-01-01T00:00:00Z", ["2026-01-01T01:00:00Z"]],
    ["@daily", "UTC", "2026-01-01T00:00:00Z", ["2026-01-02T00:00:00Z"]],
    ["@midnight", "UTC", "2026-01-01T00:00:00Z", ["2026-01-02T00:00:00Z"]],
    ["@weekly", "UTC", "2026-01-01T00:00:00Z", ["2026-01-04T00:00:00Z"]],
    ["@monthly", "UTC", "2026-01-01T00:00:00Z", ["2026-02-01T00:00:00Z"]],
    ["@YEARLY", "UTC", "2026-01-01T00:00:00Z", ["2027-01-01T00:00:00Z"]],
    ["@annually", "UTC", "2026-01-01T00:00:00Z", ["2027-01-01T00:00:00Z"]],
  ]);
});

describe("day-of-month and day-of-week: either when both are restricted", () => {
  table([
    // Fridays (2, 9, 16) or the 13th (a Tuesday).
    [
      "0 0 13 * FRI",
      "UTC",
      "2026-01-01T00:00:00Z",
      [
        "2026-01-02T00:00:00Z",
        "2026-01-09T00:00:00Z",
        "2026-01-13T00:00:00Z",
        "2026-01-16T00:00:00Z",
      ],
    ],
    // Mondays or the 1st and 15th; afterMs itself (Jan 1, 00:00) is not "after".
    [
      "0 0 1,15 * MON",
      "UTC",
      "2026-01-01T00:00:00Z",
      [
        "2026-01-05T00:00:00Z",
        "2026-01-12T00:00:00Z",
        "2026-01-15T00:00:00Z",
        "2026-01-19T00:00:00Z",
      ],
    ],
    // Only day-of-month restricted: the 13th alone.
    ["0 0 13 * *", "UTC", "2026-01-01T00:00:00Z", ["2026-01-13T00:00:00Z", "2026-02-13T00:00:00Z"]],
    // Only day-of-week restricted: Tuesdays alone.
    [
      "0 0 * * TUE",
      "UTC",
      "2026-01-01T00:00:00Z",
      ["2026-01-06T00:00:00Z", "2026-01-13T00:00:00Z"],
    ],
    // February 30 never comes, but with a weekday the Mondays of February fire.
    [
      "0 0 30 2 MON",
      "UTC",
      "2026-01-01T00:00:00Z",
      ["2026-02-02T00:00:00Z", "2026-02-09T00:00:00Z"],
    ],
    // A stepped day-of-month is restricted too (unlike Vixie cron's "starts with *" rule).
    [
      "0 0 */10 * SAT",
      "UTC",
      "2026-01-01T00:00:00Z",
      [
        "2026-01-03T00:00:00Z",
        "2026-01-10T00:00:00Z",
        "2026-01-11T00:00:00Z",
        "2026-01-17T00:00:00Z",
      ],
    ],
  ]);
});

describe("month ends and leap years", () => {
  table([
    [
      "0 0 31 * *",
      "UTC",
      "2026-01-31T00:00:00Z",
      [
        "2026-03-31T00:00:00Z",
        "2026-05-31T00:00:00Z",
        "2026-07-31T00:00:00Z",
        "2026-08-31T00:00:00Z",
      ],
    ],
    ["0 0 30 * *", "UTC", "2026-01-30T00:00:00Z", ["2026-03-30T00:00:00Z", "2026-04-30T00:00:00Z"]],
    ["0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"]],
    // 2100 is not a leap year: eight years between two Feb 29ths.
    ["0 0 29 2 *", "UTC", "2096-03-01T00:00:00Z", ["2104-02-29T00:00:00Z"]],
    ["0 0 29 * *", "UTC", "2027-01-29T00:00:00Z", ["2027-03-29T00:00:00Z"]],
    ["0 0 29 * *", "UTC", "2028-01-29T00:00:00Z", ["2028-02-29T00:00:00Z"]],
    [
      "0 0 28-31 2 *",
      "UTC",
      "2027-02-27T00:00:00Z",
      ["2027-02-28T00:00:00Z", "2028-02-28T00:00:00Z"],
    ],
    ["30 23 * * *", "UTC", "2026-12-31T23:30:00Z", ["2027-01-01T23:30:00Z"]],
  ]);
});

describe("time zones", () => {
  table([
    // Kolkata is UTC+05:30 all year.
    [
      "0 9 * * *",
      "Asia/Kolkata",
      "2026-01-01T00:00:00Z",
      ["2026-01-01T03:30:00Z", "2026-01-02T03:30:00Z"],
    ],
    ["0 0 * * *", "Asia/Kolkata", "2026-01-01T00:00:00Z", ["2026-01-01T18:30:00Z"]],
    [
      "0 * * * *",
      "Asia/Kolkata",
      "2026-01-01T00:00:00Z",
      ["2026-01-01T00:30:00Z", "2026-01-01T01:30:00Z"],
    ],
    ["0 0 1 * *", "Asia/Kolkata", "2026-01-31T12:00:00Z", ["2026-01-31T18:30:00Z"]],
    ["0 0 * * MON", "Asia/Kolkata", "2026-01-04T00:00:00Z", ["2026-01-04T18:30:00Z"]],
    ["30 5 29 2 *", "Asia/Kolkata", "2027-01-01T00:00:00Z", ["2028-02-29T00:00:00Z"]],
    // Berlin in winter (UTC+1) and summer (UTC+2) away from the changes.
    ["0 9 * * *", "Europe/Berlin", "2026-01-10T00:00:00Z", ["2026-01-10T08:00:00Z"]],
    ["0 9 * * *", "Europe/Berlin", "2026-07-10T00:00:00Z", ["2026-07-10T07:00:00Z"]],
    ["0 9 * * *", "America/New_York", "2026-07-10T00:00:00Z", ["2026-07-10T13:00:00Z"]],
    ["0 9 * * *", "UTC", "2026-07-10T00:00:00Z", ["2026-07-10T09:00:00Z"]],
    // The example of docs/SCHEDULES.md: Friday 10:00 EST, then Monday 09:30 after the change.
    ["30 9 * * MON-FRI", "America/New_York", "2026-03-06T15:00:00Z", ["2026-03-09T13:30:00Z"]],
  ]);
});

describe("DST in New York: clocks go 02:00 EST → 03:00 EDT on 2026-03-08, 02:00 EDT → 01:00 EST on 2026-11-01", () => {
  table([
    // A skipped wall time moves forward by the gap: 02:30 → 03:30 EDT.
    [
      "30 2 * * *",
      "America/New_York",
      "2026-03-07T12:00:00Z",
      ["2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"],
    ],
    [
      "0 2 * * *",
      "America/New_York",
      "2026-03-07T12:00:00Z",
      ["2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z"],
    ],
    [
      "0 3 * * *",
      "America/New_York",
      "2026-03-07T12:00:00Z",
      ["2026-03-08T07:00:00Z", "2026-03-09T07:00:00Z"],
    ],
    [
      "0 1 * * *",
      "America/New_York",
      "2026-03-07T12:00:00Z",
      ["2026-03-08T06:00:00Z", "2026-03-09T05:00:00Z"],
    ],
    // Every half hour stays regular: the moved 02:00 and 02:30 coincide with 03:00 and 03:30.
    [
      "*/30 * * * *",
      "America/New_York",
      "2026-03-08T06:00:00Z",
      [
        "2026-03-08T06:30:00Z",
        "2026-03-08T07:00:00Z",
        "2026-03-08T07:30:00Z",
        "2026-03-08T08:00:00Z",
      ],
    ],
    // 02:15 (moved to 03:15) and 03:15 are one instant: one fire.
    [
      "15 2,3 * * *",
      "America/New_York",
      "2026-03-08T05:00:00Z",
      ["2026-03-08T07:15:00Z", "2026-03-09T06:15:00Z", "2026-03-09T07:15:00Z"],
    ],
    // After the change, the moved 02:30 still lies ahead of 03:10 EDT.
    ["30 2 * * *", "America/New_York", "2026-03-08T07:10:00Z", ["2026-03-08T07:30:00Z"]],
    // 01:30 happens twice on Nov 1: it fires once, at the first (EDT).
    [
      "30 1 * * *",
      "America/New_York",
      "2026-10-31T12:00:00Z",
      ["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"],
    ],
    [
      "*/30 * * * *",
      "America/New_York",
      "2026-11-01T04:00:00Z",
      [
        "2026-11-01T04:30:00Z",
        "2026-11-01T05:00:00Z",
        "2026-11-01T05:30:00Z",
        "2026-11-01T07:00:00Z",
        "2026-11-01T07:30:00Z",
      ],
    ],
    [
      "0 * * * *",
      "America/New_York",
      "2026-11-01T04:00:00Z",
      ["2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z"],
    ],
    // From inside the second 01:00-02:00, that hour's wall times have already fired.
    ["45 1 * * *", "America/New_York", "2026-11-01T06:10:00Z", ["2026-11-02T06:45:00Z"]],
    [
      "0 2 * * *",
      "America/New_York",
      "2026-10-31T12:00:00Z",
      ["2026-11-01T07:00:00Z", "2026-11-02T07:00:00Z"],
    ],
  ]);
});

describe("DST in Berlin: 02:00 CET → 03:00 CEST on 2026-03-29, 03:00 CEST → 02:00 CET on 2026-10-25", () => {
  table([
    [
      "30 2 * * *",
      "Europe/Berlin",
      "2026-03-28T12:00:00Z",
      ["2026-03-29T01:30:00Z", "2026-03-30T00:30:00Z"],
    ],
    [
      "0 * * * *",
      "Europe/Berlin",
      "2026-03-28T23:30:00Z",
      ["2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"],
    ],
    [
      "30 2 * * *",
      "Europe/Berlin",
      "2026-10-24T12:00:00Z",
      ["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"],
    ],
    [
      "*/20 2 * * *",
      "Europe/Berlin",
      "2026-10-24T12:00:00Z",
      [
        "2026-10-25T00:00:00Z",
        "2026-10-25T00:20:00Z",
        "2026-10-25T00:40:00Z",
        "2026-10-26T01:00:00Z",
      ],
    ],
    [
      "0 3 * * *",
      "Europe/Berlin",
      "2026-10-24T12:00:00Z",
      ["2026-10-25T02:00:00Z", "2026-10-26T02:00:00Z"],
    ],
  ]);
});

describe("DST of half an hour (Lord Howe Island)", () => {
  table([
    // 2026-10-04 skips 02:00-02:30 (+10:30 → +11): 02:15 moves to 02:45.
    [
      "15 2 * * *",
      "Australia/Lord_Howe",
      "2026-10-03T00:00:00Z",
      ["2026-10-03T15:45:00Z", "2026-10-04T15:15:00Z"],
    ],
    // 2026-04-05 repeats 01:30-02:00 (+11 → +10:30): 01:45 fires once, at the first.
    [
      "45 1 * * *",
      "Australia/Lord_Howe",
      "2026-04-04T00:00:00Z",
      ["2026-04-04T14:45:00Z", "2026-04-05T15:15:00Z"],
    ],
  ]);
});

describe("bad expressions", () => {
  const rows: Array<[string, string]> = [
    ["61 * * * *", "minute 61 is outside 0-59"],
    ["* 24 * * *", "hour 24 is outside 0-23"],
    ["* * 0 * *", "day-of-month 0 is outside 1-31"],
    ["* * 32 * *", "day-of-month 32 is outside 1-31"],
    ["* * * 13 *", "month 13 is outside 1-12"],
    ["* * * 0 *", "month 0 is outside 1-12"],
    ["* * * * 8", "day-of-week 8 is outside 0-7"],
    ["* * * FOO *", "month FOO is not a number or a name JAN-DEC"],
    ["* * * * MON-FOO", "day-of-week FOO is not a number or a name SUN-SAT"],
    ["* * * * JAN", "day-of-week JAN is not a number or a name SUN-SAT"],
    ["* * * MON *", "month MON is not a number or a name JAN-DEC"],
    ["x * * * *", "minute x is not a number"],
    ["1.5 * * * *", "minute 1.5 is not a number"],
    ["-5 * * * *", "minute has an empty value"],
    ["*/0 * * * *", "minute step 0 must be at least 1"],
    ["*/x * * * *", 'minute step "x" is not a number'],
    ["*/2/3 * * * *", 'minute */2/3 has more than one "/"'],
    ["30-10 * * * *", "minute range 30-10 runs backwards"],
    ["* * * * FRI-MON", "day-of-week range FRI-MON runs backwards"],
    ["1-2-3 * * * *", 'minute range 1-2-3 has more than one "-"'],
    ["5/15 * * * *", 'minute step 5/15 needs a range or * before "/" (e.g. 5-59/15)'],
    ["1,,2 * * * *", 'minute has an empty list item in "1,,2"'],
    ["* * * *", "expected 5 fields (minute hour day-of-month month day-of-week) but got 4"],
    ["* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week) but got 6"],
    ["", "expected 5 fields (minute hour day-of-month month day-of-week) but got 0"],
    ["0 0 30 2 *", "never fires: day-of-month 30 does not occur in month 2"],
    ["0 0 31 APR,JUN *", "never fires: day-of-month 31 does not occur in month APR,JUN"],
    ["@fortnightly", "unknown macro @fortnightly"],
  ];
  for (const [expression, why] of rows) {
    it(`rejects ${JSON.stringify(expression)}: ${why}`, () => {
      let thrown: unknown;
      try {
        parseCron(expression);
      } catch (error) {
        thrown = error;
      }
      expect(ValidationError.is(thrown)).toBe(true);
      expect((thrown as Error).message).toContain(
        `cron ${JSON.stringify(expression.trim())}: ${why}`,
      );
    });
  }

  it("names the field and the token in the message of a minute out of range", () => {
    expect(() => parseCron("61 * * * *")).toThrow(
      /^cron "61 \* \* \* \*": minute 61 is outside 0-59$/,
    );
  });

  it("rejects an expression that is not a string", () => {
    expect(() => parseCron(42 as unknown as string)).toThrow(
      "cron expression must be a string, got number",
    );
  });

  it("rejects an unknown time zone and a bad afterMs", () => {
    const spec = parseCron("* * * * *");
    expect(() => nextFireAt(spec, 0, "Mars/Olympus_Mons")).toThrow(
      'unknown time zone "Mars/Olympus_Mons"',
    );
    expect(() => nextFireAt(spec, 0, "")).toThrow(ValidationError);
    expect(() => nextFireAt(spec, Number.NaN)).toThrow("afterMs must be a finite number");
    expect(() => nextFireAt(spec, 8.6e15)).toThrow("afterMs must be a finite number");
    expect(() => nextFireAt({ type: "weekly" } as unknown as CronSpec, 0)).toThrow(ValidationError);
  });
});

describe("parsed specs", () => {
  it("are plain data with each field's values ascending and 7 folded into Sunday", () => {
    const spec = parseCron("0,30 9-11 1,15 JAN,jul 5-7");
    expect(JSON.parse(JSON.stringify(spec))).toEqual({
      type: "cron",
      expression: "0,30 9-11 1,15 JAN,jul 5-7",
      minutes: [0, 30],
      hours: [9, 10, 11],
      daysOfMonth: [1, 15],
      months: [1, 7],
      daysOfWeek: [0, 5, 6],
      dayMatch: "either",
    });
    expect(parseCron("0 0 1 * *").dayMatch).toBe("both");
  });
});

describe("intervals", () => {
  const anchorMs = at("2026-01-01T00:00:00Z");
  const minute = { type: "interval", everyMs: 60_000, anchorMs } as const;
  it("fire at the anchor, then every everyMs after it, strictly after afterMs", () => {
    expect(iso(nextFireAt(minute, at("2025-12-31T00:00:00Z")))).toBe("2026-01-01T00:00:00Z");
    expect(iso(nextFireAt(minute, anchorMs))).toBe("2026-01-01T00:01:00Z");
    expect(iso(nextFireAt(minute, at("2026-01-01T00:01:30Z")))).toBe("2026-01-01T00:02:00Z");
    expect(iso(nextFireAt(minute, at("2026-03-08T06:59:59Z"), "America/New_York"))).toBe(
      "2026-03-08T07:00:00Z",
    );
    const odd = { type: "interval", everyMs: 1_500, anchorMs: 1_000 } as const;
    expect(nextFireAt(odd, 3_999)).toBe(4_000);
    expect(nextFireAt(odd, 4_000)).toBe(5_500);
  });

  it("accept 1,000 ms and reject less, fractions and bad anchors", () => {
    expect(nextFireAt({ type: "interval", everyMs: 1_000, anchorMs: 0 }, 0)).toBe(1_000);
    expect(() => nextFireAt({ type: "interval", everyMs: 999, anchorMs: 0 }, 0)).toThrow(
      "everyMs must be a whole number of milliseconds, at least 1000; got 999",
    );
    expect(() => nextFireAt({ type: "interval", everyMs: 1500.5, anchorMs: 0 }, 0)).toThrow(
      ValidationError,
    );
    expect(() => nextFireAt({ type: "interval", everyMs: 5_000, anchorMs: Number.NaN }, 0)).toThrow(
      "anchorMs must be a whole number of milliseconds; got NaN",
    );
  });
});

describe("catch-up after downtime", () => {
  const A = at("2026-01-01T00:00:00Z");
  const minute = { type: "interval", everyMs: 60_000, anchorMs: A } as const;
  const m = (n: number) => A + n * 60_000;

  it("skip drops what was missed; run_once starts the latest missed fire", () => {
    const last = m(1);
    const now = m(10) + 30_000;
    const skip = planCatchUp(minute, last, now, { policy: "skip" });
    expect(skip).toEqual({
      run: undefined,
      skipped: [m(2), m(3), m(4), m(5), m(6), m(7), m(8), m(9), m(10)],
      truncated: false,
      lastMs: m(10),
      nextMs: m(11),
    });
    const once = planCatchUp(minute, last, now, { policy: "run_once" });
    expect(once.run).toBe(m(10));
    expect(once.skipped).toEqual([m(2), m(3), m(4), m(5), m(6), m(7), m(8), m(9)]);
    // Under skip, a fire within the grace is on time and runs.
    expect(planCatchUp(minute, last, now, { policy: "skip", graceMs: 60_000 }).run).toBe(m(10));
  });

  it("has nothing to do when no fire was due", () => {
    expect(planCatchUp(minute, m(10), m(10) + 30_000, { policy: "run_once" })).toEqual({
      run: undefined,
      skipped: [],
      truncated: false,
      lastMs: m(10),
      nextMs: m(11),
    });
  });

  it("lists at most limit missed fires, the most recent ones, for a day of one-second fires", () => {
    const second = { type: "interval", everyMs: 1_000, anchorMs: A } as const;
    const plan = planCatchUp(second, A, A + 86_400_000, { policy: "run_once" });
    expect(plan.run).toBe(A + 86_400_000);
    expect(plan.skipped).toHaveLength(100);
    expect(plan.skipped[0]).toBe(A + 86_300_000);
    expect(plan.skipped.at(-1)).toBe(A + 86_399_000);
    expect(plan.truncated).toBe(true);
  });

  it("works on cron specs, in a time zone and across a year of minutes", () => {
    const hourly = parseCron("0 * * * *");
    const plan = planCatchUp(hourly, A, at("2026-01-01T03:30:00Z"), { policy: "run_once" });
    expect(plan.run).toBe(at("2026-01-01T03:00:00Z"));
    expect(plan.skipped.map(iso)).toEqual(["2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"]);

    const everyMinute = parseCron("* * * * *");
    const year = planCatchUp(everyMinute, at("2025-01-01T00:00:00Z"), at("2026-01-01T00:00:30Z"), {
      policy: "run_once",
      limit: 5,
    });
    expect(iso(year.run as number)).toBe("2026-01-01T00:00:00Z");
    expect(year.skipped.map(iso)).toEqual([
      "2025-12-31T23:55:00Z",
      "2025-12-31T23:56:00Z",
      "2025-12-31T23:57:00Z",
      "2025-12-31T23:58:00Z",
      "2025-12-31T23:59:00Z",
    ]);
    expect(year.truncated).toBe(true);

    // Fires clustered on the 1st of each month, far back from now.
    const clustered = planCatchUp(
      parseCron("* 9 1 * *"),
      at("2025-01-01T00:00:00Z"),
      at("2026-03-15T00:00:00Z"),
      {
        policy: "skip",
        limit: 3,
      },
    );
    expect(clustered.run).toBeUndefined();
    expect(clustered.skipped.map(iso)).toEqual([
      "2026-03-01T09:57:00Z",
      "2026-03-01T09:58:00Z",
      "2026-03-01T09:59:00Z",
    ]);
    expect(iso(clustered.nextMs)).toBe("2026-04-01T09:00:00Z");

    // A fire due exactly now is on time; limit cuts the rest.
    const daily = parseCron("0 0 * * *");
    const exact = planCatchUp(daily, A, at("2026-01-04T00:00:00Z"), { policy: "skip", limit: 3 });
    expect(iso(exact.run as number)).toBe("2026-01-04T00:00:00Z");
    expect(exact.skipped.map(iso)).toEqual(["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"]);
    expect(exact.truncated).toBe(false);
    const cut = planCatchUp(daily, A, at("2026-01-04T00:00:00Z"), { policy: "skip", limit: 1 });
    expect(cut.skipped.map(iso)).toEqual(["2026-01-03T00:00:00Z"]);
    expect(cut.truncated).toBe(true);

    const ny = planCatchUp(
      parseCron("30 2 * * *"),
      at("2026-03-07T07:30:00Z"),
      at("2026-03-09T12:00:00Z"),
      {
        policy: "run_once",
        timeZone: "America/New_York",
      },
    );
    expect(iso(ny.run as number)).toBe("2026-03-09T06:30:00Z");
    expect(ny.skipped.map(iso)).toEqual(["2026-03-08T07:30:00Z"]);
  });

  it("rejects a bad policy, limit, grace or order of times", () => {
    const plan =
      (options: object, last = A, now = m(5)) =>
      () =>
        planCatchUp(minute, last, now, options as { policy: "skip" });
    expect(plan({ policy: "all" })).toThrow(
      'catch-up policy must be "skip" or "run_once", got "all"',
    );
    expect(plan({ policy: "skip", limit: 0 })).toThrow(
      "limit must be a whole number from 1 to 10000",
    );
    expect(plan({ policy: "skip", graceMs: -1 })).toThrow("graceMs must be a finite number");
    expect(plan({ policy: "skip" }, m(5), A)).toThrow("lastMs ≤ nowMs");
    expect(plan({ policy: "skip", timeZone: "Nowhere/Else" }, A, m(5))).not.toThrow();
    expect(() =>
      planCatchUp(parseCron("* * * * *"), A, m(5), { policy: "skip", timeZone: "Nowhere/Else" }),
    ).toThrow('unknown time zone "Nowhere/Else"');
  });
});
