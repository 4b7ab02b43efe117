import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("the Worker", () => {
  it("answers GET /health with ok inside workerd", async () => {
    const response = await exports.default.fetch("http://runlog.test/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
    expect(navigator.userAgent).toBe("Cloudflare-Workers");
  });
});
