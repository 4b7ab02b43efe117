import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("the Worker", () => {
  // The first request loads the Worker's modules (the HTTP API and zod) into the test isolate.
  it("answers GET /health with ok inside workerd", { timeout: 60_000 }, async () => {
    const response = await exports.default.fetch("http://runlog.test/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true });
    expect(navigator.userAgent).toBe("Cloudflare-Workers");
  });
});
