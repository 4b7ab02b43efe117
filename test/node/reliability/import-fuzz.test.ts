// importRun under damaged NDJSON: truncated, reordered, duplicated, altered or hash-mismatched
// exports are refused with a ValidationError naming what is wrong, and the SQLite file is
// byte-for-byte what it was. A change that leaves the log's meaning intact imports the same events.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import {
  exportRun,
  importRun,
  Kernel,
  MemoryRunStore,
  parseExport,
  type SequencedEvent,
  ValidationError,
} from "runlog";
import { SqliteStore } from "runlog/node";
import { canonicalJson, eventLine } from "runlog/store-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import golden from "../../fixtures/golden-approval.ndjson?raw";
import {
  type GenState,
  genPolicy,
  genReducer,
  genStep,
  INLINE_RETRY_MAX_MS,
  type Program,
  runEnvironment,
  World,
} from "../../support/gen-workflow.ts";
import { instantScheduler } from "../../support/kernel-fixtures.ts";
import { mutate, mutation, resign } from "../../support/ndjson-mutations.ts";
import { fuzzSeed, propertyTimeout, soak } from "./soak-config.ts";

const dir = mkdtempSync(join(tmpdir(), "runlog-import-"));
const path = join(dir, "import.db");
let store: SqliteStore;
let generated: string;

/** A run with every kind of event: retries, a durable backoff, signals, an interrupt, a sleep. */
const program: Program = {
  ops: [
    { type: "emit", count: 2, random: true },
    { type: "call", kind: "callTool", script: ["transient", "rateDurable"], onFailure: "continue" },
    { type: "signal", early: true, duplicate: false },
    { type: "sleep", ms: 1000 },
    { type: "call", kind: "callLLM", script: ["permanent"], onFailure: "continue" },
    { type: "interrupt", staleFirst: false, cancel: false },
    { type: "signal", early: false, duplicate: true },
  ],
  snapshotEvery: 3,
  maxRetries: 3,
};

beforeAll(async () => {
  store = SqliteStore.open(path, { durability: "strict" });
  const world = new World(program);
  const kernel = new Kernel<GenState>({
    events: store,
    snapshots: store,
    reducer: genReducer,
    step: genStep(program),
    executor: world,
    policy: genPolicy(program),
    clock: world.clock,
    random: world.random,
    scheduler: instantScheduler,
    snapshotEvery: program.snapshotEvery,
    inlineRetryMaxMs: INLINE_RETRY_MAX_MS,
  });
  await runEnvironment(kernel, "source", program, world);
  generated = await exportRun(store, "source");
  await importRun(store, golden);
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The database file and its WAL, as bytes. */
const fileBytes = () =>
  Buffer.concat(
    [path, `${path}-wal`].map((p) => {
      try {
        return readFileSync(p);
      } catch {
        return Buffer.alloc(0);
      }
    }),
  );

/** The events' canonical lines: what an import must keep exactly. */
const canonical = (events: readonly SequencedEvent[]) => events.map(eventLine).join("\n");

let imports = 0;

/**
 * Imports `text` as a new run: either a ValidationError and the file unchanged, or the very events
 * of `original` (the change kept the log's meaning, e.g. whitespace or a cut final newline).
 */
async function checkImport(text: string, original: string): Promise<"refused" | "same"> {
  const before = fileBytes();
  const runId = `imported-${imports++}`;
  const outcome = await importRun(store, text, { runId }).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (outcome === undefined) {
    const expected = (await parseExport(original)).events;
    expect(canonical(await store.read(runId))).toBe(canonical(expected));
    return "same";
  }
  if (!ValidationError.is(outcome)) throw outcome;
  expect(outcome.message.length).toBeGreaterThan(10);
  expect(fileBytes().equals(before)).toBe(true);
  expect(await store.head(runId)).toBe(0);
  return "refused";
}

const runs = soak ? 5000 : 250;

describe("importRun under damaged NDJSON", () => {
  for (const [name, source] of [
    ["the golden log", () => golden],
    ["a generated run with every event type", () => generated],
  ] as const) {
    it(
      `refuses truncated, reordered, duplicated and altered exports of ${name} and changes nothing`,
      async () => {
        const seen = { refused: 0, same: 0 };
        await fc.assert(
          fc.asyncProperty(mutation, async (m) => {
            seen[await checkImport(mutate(source(), m), source())] += 1;
          }),
          { seed: fuzzSeed, numRuns: runs },
        );
        expect(seen.refused).toBeGreaterThan(runs / 2);
      },
      propertyTimeout,
    );
  }

  it("refuses each named kind of damage with a message that says what is wrong", async () => {
    const text = generated;
    const lines = text.trimEnd().split("\n");
    const header = JSON.parse(lines[0] as string) as Record<string, unknown>;
    const cases: [string, string, RegExp][] = [
      ["empty", "", /empty/],
      ["cut mid-line", text.slice(0, text.length - 20), /not JSON|holds|hash/],
      [
        "last event dropped",
        `${lines.slice(0, -1).join("\n")}\n`,
        /header says \d+ events but it holds/,
      ],
      [
        "two events swapped",
        `${[lines[0], lines[2], lines[1], ...lines.slice(3)].join("\n")}\n`,
        /has seq \d+, expected \d+/,
      ],
      [
        "an event duplicated",
        `${[...lines.slice(0, 3), lines[2], ...lines.slice(3)].join("\n")}\n`,
        /seq|holds/,
      ],
      [
        "a payload changed",
        `${[lines[0], ...lines.slice(1).map((l) => l.replace('"sig":2', '"sig":3'))].join("\n")}\n`,
        /hash to [0-9a-f]{64}, not to the header's/,
      ],
      [
        "hash of another log",
        `${[canonicalJson({ ...header, hash: "0".repeat(64) }), ...lines.slice(1)].join("\n")}\n`,
        /hash/,
      ],
      ["no header", `${lines.slice(1).join("\n")}\n`, /not a runlog header/],
      [
        "header version 2",
        `${[canonicalJson({ ...header, version: 2 }), ...lines.slice(1)].join("\n")}\n`,
        /version 2/,
      ],
    ];
    for (const [what, damaged, message] of cases) {
      const before = fileBytes();
      const error = await importRun(store, damaged, {
        runId: `named-${what.replace(/\W/g, "-")}`,
      }).then(
        () => new Error(`${what}: imported`),
        (e: unknown) => e,
      );
      expect(ValidationError.is(error), `${what}: ${String(error)}`).toBe(true);
      expect((error as Error).message, what).toMatch(message);
      expect(fileBytes().equals(before), `${what}: file changed`).toBe(true);
    }
  });

  it("refuses to import over an existing run, writing nothing", async () => {
    const before = fileBytes();
    await expect(importRun(store, golden)).rejects.toThrow(/already exists/);
    expect(fileBytes().equals(before)).toBe(true);
  });
});

describe("importRun of logs whose hash was recomputed after the damage", () => {
  /** Damage the events, then re-sign: only the log's own checks can catch it. */
  const resigned = (mutateEvents: (events: Record<string, unknown>[]) => unknown[]) =>
    resign(generated, mutateEvents);

  it("refuses reordered, duplicated or renumbered events even with a matching hash", async () => {
    const texts = [
      await resigned((ev) => [ev[1], ev[0], ...ev.slice(2)]),
      await resigned((ev) => [...ev.slice(0, 3), ev[2], ...ev.slice(3)]),
      await resigned((ev) => ev.map((e) => ({ ...e, seq: (e.seq as number) + 1 }))),
    ];
    for (const text of texts) {
      const before = fileBytes();
      await expect(importRun(store, text, { runId: `resigned-${imports++}` })).rejects.toSatisfy(
        (e: unknown) => ValidationError.is(e),
      );
      expect(fileBytes().equals(before)).toBe(true);
    }
  });

  // Product bug (reported): parseExport checks only seq, ts and the type name, so metaOf meets the
  // malformed event and throws a TypeError (a 500 over HTTP), or the event is stored as it is.
  it("refuses malformed events inside a re-signed log with a ValidationError, never a TypeError", async () => {
    const malformed: [string, (e: Record<string, unknown>) => Record<string, unknown>][] = [
      [
        "ActionRequested without its action",
        (e) => ({ ...e, event: { type: "ActionRequested", actionId: "x" } }),
      ],
      ["event that is null", (e) => ({ ...e, event: null })],
      ["event that is a string", (e) => ({ ...e, event: "ActionRequested" })],
      ["ActionSucceeded without an id", (e) => ({ ...e, event: { type: "ActionSucceeded" } })],
      [
        "SignalReceived without a signal id",
        (e) => ({ ...e, event: { type: "SignalReceived", name: "x", value: 1 } }),
      ],
    ];
    const outcomes: string[] = [];
    for (const [what, damage] of malformed) {
      const text = await resigned((ev) => ev.map((e, i) => (i === 0 ? damage(e) : e)));
      const before = fileBytes();
      const runId = `malformed-${imports++}`;
      const error = await importRun(store, text, { runId }).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error === undefined) {
        outcomes.push(`${what}: imported`);
        continue;
      }
      if (!ValidationError.is(error)) outcomes.push(`${what}: ${String(error)}`);
      expect(fileBytes().equals(before), `${what}: file changed`).toBe(true);
      expect(await store.head(runId)).toBe(0);
    }
    expect(outcomes).toEqual([]);
  });
});

describe("importRun into the memory store", () => {
  it("leaves every run's log, snapshot and summary as they were after a refused import", async () => {
    const memory = new MemoryRunStore();
    await importRun(memory, golden);
    await importRun(memory, generated);
    const fingerprint = async () =>
      JSON.stringify(
        await Promise.all(
          ["golden-1", "source"].map(async (id) => [
            await memory.read(id),
            await memory.getRun(id),
            await memory.loadLatest(id),
          ]),
        ),
      ) + JSON.stringify(await memory.listRuns());
    const before = await fingerprint();
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const text = mutate(generated, m);
        await importRun(memory, text, { runId: "source" }).catch((e: unknown) => {
          if (!KernelErrorLike(e)) throw e;
        });
        expect(await fingerprint()).toBe(before);
      }),
      { seed: fuzzSeed, numRuns: 200 },
    );
  });
});

/** A ValidationError, or the conflict of importing over an existing run. */
function KernelErrorLike(e: unknown): boolean {
  return ValidationError.is(e) || (e instanceof Error && /already exists/.test(e.message));
}
