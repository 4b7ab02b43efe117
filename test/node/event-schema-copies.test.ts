// The event schema has copies: the core's `Event` type, the runtime parser's table
// (`EVENT_SPECS`), the zod schemas of the HTTP API (what it answers, and the events a fork may
// carry) and the SQL rows of the run index. These checks fail to compile when a field is added
// to, removed from or made optional in only one copy; `npm test` type-checks every layer
// (test/node/static-checks.test.ts), and vitest runs the runtime halves here. The IndexedDB
// records are tied in test/browser/idb-record-types.ts (a DOM-typed layer).
import type {
  Action,
  ActionErrorData,
  Event,
  EventOf,
  EventType,
  RunInfo,
  RunSummary,
} from "runlog";
import { EVENT_TYPES, type RunSummaryRow } from "runlog/store-kit";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { AlternateEventSchema } from "../../adapters/http/request-schemas.ts";
import {
  type ActionErrorSchema,
  type ActionSchema,
  EventSchema,
  type RunInfoSchema,
  type RunPageSchema,
} from "../../adapters/http/response-schemas.ts";
import { EVENT_SPECS, type EventSpecs } from "../../src/parse-event.ts";
import type { Shape, ShapesByType, Snake } from "../support/type-shape.ts";

/** An event as the API serves it: `{seq, ts, type, ...fields}`. */
type Flat = Event extends infer E
  ? E extends Event
    ? E & { seq: number; ts: number }
    : never
  : never;
type ApiEvent = z.infer<typeof EventSchema>;
type ForkEvent = z.input<typeof AlternateEventSchema>;
type Alternates = "StateUpdated" | "Resumed" | "SignalReceived";

/** The fields the parser's table names for each type, with `type` and optionality as in `Event`. */
type SpecShape<T extends EventType> = {
  required:
    | "type"
    | {
        [K in keyof EventSpecs[T]]: EventSpecs[T][K] extends { optional: true } ? never : K;
      }[keyof EventSpecs[T]];
  optional: {
    [K in keyof EventSpecs[T]]: EventSpecs[T][K] extends { optional: true } ? K : never;
  }[keyof EventSpecs[T]];
};

describe("the copies of the event schema", () => {
  it("the API's Event schema has every core event type, each with the same fields", () => {
    expectTypeOf<ApiEvent["type"]>().toEqualTypeOf<EventType>();
    expectTypeOf<ShapesByType<ApiEvent>>().toEqualTypeOf<ShapesByType<Flat>>();
    expectTypeOf<ShapesByType<z.infer<typeof ActionSchema>>>().toEqualTypeOf<
      ShapesByType<Action>
    >();
    expectTypeOf<Shape<z.infer<typeof ActionErrorSchema>>>().toEqualTypeOf<
      Shape<ActionErrorData>
    >();
    // Field by field the core's values are ones the schema describes (Json is within unknown).
    expectTypeOf<Flat>().toExtend<ApiEvent>();
    const served = EventSchema.options.map((o) => o.shape.type.value);
    expect([...served].sort()).toEqual([...EVENT_TYPES].sort());
  });

  it("the parser's table has every core event type and field, optional where the type's is", () => {
    expectTypeOf<keyof EventSpecs>().toEqualTypeOf<EventType>();
    expectTypeOf<{ [T in EventType]: SpecShape<T> }>().toEqualTypeOf<ShapesByType<Event>>();
    expect(Object.keys(EVENT_SPECS).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it("the events a fork may carry over HTTP have the core's fields", () => {
    expectTypeOf<ForkEvent["type"]>().toEqualTypeOf<Alternates>();
    expectTypeOf<ShapesByType<ForkEvent>>().toEqualTypeOf<ShapesByType<EventOf<Alternates>>>();
    expectTypeOf<ForkEvent>().toExtend<{ type: Alternates }>();
  });

  it("the API's run page and run info have the fields of the core's RunSummary and RunInfo", () => {
    type ApiSummary = z.infer<typeof RunPageSchema>["runs"][number];
    expectTypeOf<Shape<ApiSummary>>().toEqualTypeOf<Shape<RunSummary>>();
    expectTypeOf<RunSummary>().toExtend<ApiSummary>();
    type ApiInfo = z.infer<typeof RunInfoSchema>;
    expectTypeOf<Shape<ApiInfo>>().toEqualTypeOf<Shape<RunInfo>>();
    expectTypeOf<RunInfo>().toExtend<ApiInfo>();
  });

  it("a SQL run row has one column per RunSummary field, NULL where the field is optional", () => {
    type Columns = {
      [K in keyof RunSummary as Snake<K & string>]-?: undefined extends RunSummary[K]
        ? Exclude<RunSummary[K], undefined> | null
        : RunSummary[K];
    };
    expectTypeOf<keyof RunSummaryRow>().toEqualTypeOf<keyof Columns>();
    expectTypeOf<Columns>().toExtend<RunSummaryRow>();
  });
});
