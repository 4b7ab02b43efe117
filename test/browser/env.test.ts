import { describe, expect, it } from "vitest";

describe("the browser project", () => {
  it("runs in a real Chromium with IndexedDB and Web Locks", async () => {
    expect(typeof indexedDB.open).toBe("function");
    expect(typeof navigator.locks.request).toBe("function");
    expect(navigator.userAgent).toContain("Chrome/");
    const held = await navigator.locks.request("runlog-smoke", async (lock) => lock?.name);
    expect(held).toBe("runlog-smoke");
  });
});
