import { canonicalJson, sha256Hex } from "runlog/store-kit";
import { describe, expect, it } from "vitest";

describe("hashing", () => {
  it("gives the standard SHA-256 of abc", async () => {
    expect(await sha256Hex("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("writes object keys in sorted order", () => {
    expect(canonicalJson({ b: 1, a: [true, null], c: { z: "x", y: 2 } })).toBe(
      '{"a":[true,null],"b":1,"c":{"y":2,"z":"x"}}',
    );
  });
});
