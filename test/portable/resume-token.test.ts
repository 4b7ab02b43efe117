import { mintResumeToken, ValidationError, verifyResumeToken } from "runlog";
import { isResumeTokenShaped } from "runlog/store-kit";
import { describe, expect, it } from "vitest";

const SECRET = "a secret";
const NOW = 1_700_000_000_000;
const claims = { runId: "run-1", interruptId: "run-1:4", ttlMs: 60_000, now: NOW };

describe("resume tokens", () => {
  it("carry their run, interrupt and expiry, signed so the same secret verifies them", async () => {
    const token = await mintResumeToken(SECRET, claims);
    expect(isResumeTokenShaped(token)).toBe(true);
    expect(token).toMatch(/^rt1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(await verifyResumeToken(SECRET, token, NOW + 59_999)).toEqual({
      ok: true,
      runId: "run-1",
      interruptId: "run-1:4",
      exp: NOW + 60_000,
    });
  });

  it("are refused when expired, altered, signed with another secret or not tokens at all", async () => {
    const token = await mintResumeToken(SECRET, claims);
    expect(await verifyResumeToken(SECRET, token, NOW + 60_000)).toEqual({
      ok: false,
      reason: "expired",
    });
    const [head, body, signature] = token.split(".") as [string, string, string];
    const forged = btoa(
      JSON.stringify({ runId: "run-2", interruptId: "run-1:4", exp: NOW + 60_000 }),
    )
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    expect(await verifyResumeToken(SECRET, `${head}.${forged}.${signature}`, NOW)).toEqual({
      ok: false,
      reason: "signature",
    });
    expect(await verifyResumeToken("another secret", token, NOW)).toEqual({
      ok: false,
      reason: "signature",
    });
    expect(await verifyResumeToken(SECRET, `${head}.${body}.${signature}x`, NOW)).toMatchObject({
      ok: false,
    });
    for (const junk of ["", "rt1.", "rt1.a.b.c", "Bearer x", `${head}.${body}.!!`]) {
      expect(await verifyResumeToken(SECRET, junk, NOW)).toEqual({
        ok: false,
        reason: "malformed",
      });
    }
  });

  it("need a secret, ids and a positive ttl", async () => {
    await expect(mintResumeToken("", claims)).rejects.toSatisfy(ValidationError.is);
    await expect(mintResumeToken(SECRET, { ...claims, interruptId: "" })).rejects.toSatisfy(
      ValidationError.is,
    );
    await expect(mintResumeToken(SECRET, { ...claims, ttlMs: 0 })).rejects.toSatisfy(
      ValidationError.is,
    );
  });
});
