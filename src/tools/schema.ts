import type { JsonObject } from "../json.ts";
import type { SchemaLike } from "./tool-types.ts";

/** A small dependency-free schema: `safeParse` like zod's, and the JSON Schema an LLM is shown. */
export interface Schema<T> extends SchemaLike<T> {
  readonly optional: boolean;
  toJSONSchema(): JsonObject;
}

type Result<T> = { success: true; data: T } | { success: false; error: { message: string } };

function make<T>(
  json: JsonObject,
  check: (value: unknown, path: string) => Result<T>,
  optional = false,
): Schema<T> {
  return { optional, toJSONSchema: () => json, safeParse: (value) => check(value, "input") };
}

const fail = (message: string) => ({ success: false as const, error: { message } });

/** Builders for the schemas the demo tools use; zod schemas work anywhere these do. */
export const s = {
  string(options: { min?: number; max?: number; description?: string } = {}): Schema<string> {
    const json: JsonObject = { type: "string" };
    if (options.min !== undefined) json.minLength = options.min;
    if (options.max !== undefined) json.maxLength = options.max;
    if (options.description) json.description = options.description;
    return make(json, (v, path) => {
      if (typeof v !== "string") return fail(`${path} must be a string`);
      if (options.min !== undefined && v.length < options.min)
        return fail(`${path} must have at least ${options.min} characters`);
      if (options.max !== undefined && v.length > options.max)
        return fail(`${path} must have at most ${options.max} characters`);
      return { success: true, data: v };
    });
  },
  number(options: { min?: number; max?: number; int?: boolean } = {}): Schema<number> {
    const json: JsonObject = { type: options.int ? "integer" : "number" };
    if (options.min !== undefined) json.minimum = options.min;
    if (options.max !== undefined) json.maximum = options.max;
    return make(json, (v, path) => {
      if (typeof v !== "number" || !Number.isFinite(v)) return fail(`${path} must be a number`);
      if (options.int && !Number.isInteger(v)) return fail(`${path} must be a whole number`);
      if (options.min !== undefined && v < options.min)
        return fail(`${path} must be >= ${options.min}`);
      if (options.max !== undefined && v > options.max)
        return fail(`${path} must be <= ${options.max}`);
      return { success: true, data: v };
    });
  },
  boolean(): Schema<boolean> {
    return make({ type: "boolean" }, (v, path) =>
      typeof v === "boolean" ? { success: true, data: v } : fail(`${path} must be true or false`),
    );
  },
  optional<T>(inner: Schema<T>): Schema<T | undefined> {
    return make<T | undefined>(
      inner.toJSONSchema(),
      (v) =>
        v === undefined ? { success: true, data: undefined } : (inner.safeParse(v) as Result<T>),
      true,
    );
  },
  object<P extends Record<string, Schema<unknown>>>(
    props: P,
  ): Schema<{ [K in keyof P]: P[K] extends Schema<infer T> ? T : never }> {
    const required = Object.keys(props).filter((k) => !props[k]?.optional);
    const properties: JsonObject = {};
    for (const [k, v] of Object.entries(props)) properties[k] = v.toJSONSchema();
    const json: JsonObject = { type: "object", properties, required, additionalProperties: false };
    return make(json, (v, path) => {
      if (typeof v !== "object" || v === null || Array.isArray(v))
        return fail(`${path} must be an object`);
      const record = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, schema] of Object.entries(props)) {
        const r = schema.safeParse(record[key]);
        if (!r.success) {
          const message =
            record[key] === undefined && !schema.optional
              ? `${path}.${key} is required`
              : r.error.message.replace(/^input/, `${path}.${key}`);
          return fail(message);
        }
        if (r.data !== undefined) out[key] = r.data;
      }
      const extra = Object.keys(record).find((k) => !(k in props));
      if (extra !== undefined) return fail(`${path}.${extra} is not expected`);
      return { success: true, data: out as never };
    });
  },
};
