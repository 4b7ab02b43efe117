// Time zones come from the runtime's Intl: the same fire times, DST included, in node, real
// Chromium and workerd. Expected times are hand-written from the zones' rules.

import { nextFireAt, parseCron, ValidationError } from "runlog";
import { describe, expect, it } from "vitest";

const rows: Array<[string, string, string, string]> = [
  ["30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T07:30:00.000Z"],
  ["30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00.000Z"],
  ["30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:30:00.000Z"],
  ["30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00.000Z"],
  ["0 9 * * MON", "Asia/Kolkata", "2026-01-01T00:00:00Z", "2026-01-05T03:30:00.000Z"],
  ["15 2 * * *", "Australia/Lord_Howe", "2026-10-03T00:00:00Z", "2026-10-03T15:45:00.000Z"],
  ["0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00.000Z"],
];

describe("cron time zones in this runtime", () => {
  for (const [expression, zone, after, expected] of rows) {
    it(`${expression} in ${zone} after ${after}`, () => {
      const next = nextFireAt(parseCron(expression), Date.parse(after), zone);
      expect(new Date(next).toISOString()).toBe(expected);
    });
  }

  it("refuses a zone the runtime does not know", () => {
    expect(() => nextFireAt(parseCron("* * * * *"), 0, "Mars/Olympus_Mons")).toThrow(
      ValidationError,
    );
  });
});
