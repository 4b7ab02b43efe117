// Damage for NDJSON exports: generated mutations (cut, dropped, swapped, duplicated, altered lines,
// header fields, line endings) and re-signing, which recomputes the hash after damaging events.
import fc from "fast-check";
import { parseExport, type SequencedEvent } from "runlog";
import { canonicalJson, hashEvents } from "runlog/store-kit";

/** One kind of damage to an export's text. */
export type Mutation =
  | { type: "truncate"; at: number }
  | { type: "dropLine"; i: number }
  | { type: "swapLines"; i: number; j: number }
  | { type: "duplicateLine"; i: number; to: number }
  | { type: "replaceChar"; i: number; at: number; char: string }
  | { type: "garbageLine"; i: number; text: string }
  | { type: "header"; field: "head" | "hash" | "runId" | "format" | "version"; value: unknown }
  | { type: "crlf" };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    type: fc.constant("truncate" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  fc.record({ type: fc.constant("dropLine" as const), i: fc.nat() }),
  fc.record({ type: fc.constant("swapLines" as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ type: fc.constant("duplicateLine" as const), i: fc.nat(), to: fc.nat() }),
  fc.record({
    type: fc.constant("replaceChar" as const),
    i: fc.nat(),
    at: fc.nat(),
    char: fc.constantFrom("0", "9", "x", '"', "{", "}", ",", ":", " ", "\\", "\u0000", "é"),
  }),
  fc.record({
    type: fc.constant("garbageLine" as const),
    i: fc.nat(),
    text: fc.oneof(
      fc.string(),
      fc.json(),
      fc.constant("null"),
      fc.constant("[]"),
      fc.constant("{}"),
    ),
  }),
  fc.record({
    type: fc.constant("header" as const),
    field: fc.constantFrom(
      "head" as const,
      "hash" as const,
      "runId" as const,
      "format" as const,
      "version" as const,
    ),
    value: fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.constant(-1), fc.constant(1e308)),
  }),
  fc.record({ type: fc.constant("crlf" as const) }),
);

export function mutate(text: string, m: Mutation): string {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const pick = (n: number) => n % lines.length;
  switch (m.type) {
    case "truncate":
      return text.slice(0, Math.floor(text.length * m.at));
    case "dropLine":
      lines.splice(pick(m.i), 1);
      break;
    case "swapLines": {
      const [a, b] = [pick(m.i), pick(m.j)];
      [lines[a], lines[b]] = [lines[b] as string, lines[a] as string];
      break;
    }
    case "duplicateLine":
      lines.splice(pick(m.to), 0, lines[pick(m.i)] as string);
      break;
    case "replaceChar": {
      const line = lines[pick(m.i)] as string;
      const at = m.at % Math.max(1, line.length);
      lines[pick(m.i)] = line.slice(0, at) + m.char + line.slice(at + 1);
      break;
    }
    case "garbageLine":
      lines[pick(m.i)] = m.text.replace(/\n/g, " ");
      break;
    case "header": {
      const header = JSON.parse(lines[0] as string) as Record<string, unknown>;
      header[m.field] = m.value;
      lines[0] = JSON.stringify(header);
      break;
    }
    case "crlf":
      return text.replace(/\n/g, "\r\n");
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Damages the events of a valid export, then re-signs it (head and hash recomputed): only the
 * log's own checks, not the hash, can catch what is wrong.
 */
export async function resign(
  text: string,
  mutateEvents: (events: Record<string, unknown>[]) => unknown[],
): Promise<string> {
  const { header, events } = await parseExport(text);
  const damaged = mutateEvents(JSON.parse(JSON.stringify(events)) as Record<string, unknown>[]);
  const body = damaged.map((e) => canonicalJson(e));
  const hash = await hashEvents(damaged as SequencedEvent[]);
  return `${[canonicalJson({ ...header, head: damaged.length, hash }), ...body].join("\n")}\n`;
}
