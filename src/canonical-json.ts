import { ValidationError } from "./errors.ts";

/**
 * Serializes a JSON value canonically: object keys sorted by UTF-16 code units, no whitespace,
 * numbers as `JSON.stringify` writes them. The same value gives the same string in every runtime.
 * @throws ValidationError when the value holds something JSON cannot carry (a function, a
 * non-finite number, a bigint, a cycle).
 */
export function canonicalJson(value: unknown): string {
  try {
    return fast(value, 0);
  } catch (error) {
    if (error !== FALLBACK) throw error;
  }
  // Something JSON cannot carry, or nesting deep enough to hide a cycle: the careful writer
  // either writes it all the same or names the path of what is wrong.
  const parts: string[] = [];
  write(value, parts, new Set(), "$");
  return parts.join("");
}

/** Thrown by the fast writer to hand a value over to the careful one. */
const FALLBACK = Symbol("fallback");
/** Past this depth the fast writer hands over, so a cycle is reported instead of overflowing. */
const FAST_DEPTH = 200;

/** The canonical text of a value that JSON can carry, without tracking paths; else FALLBACK. */
function fast(value: unknown, depth: number): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw FALLBACK;
      return JSON.stringify(value);
    case "object":
      break;
    default:
      throw FALLBACK;
  }
  if (value === null) return "null";
  if (depth >= FAST_DEPTH) throw FALLBACK;
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      const item: unknown = value[i];
      out += item === undefined ? "null" : fast(item, depth + 1);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = "{";
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (!first) out += ",";
    first = false;
    out += `${JSON.stringify(key)}:${fast(item, depth + 1)}`;
  }
  return `${out}}`;
}

function write(value: unknown, out: string[], seen: Set<object>, path: string): void {
  switch (typeof value) {
    case "string":
      out.push(JSON.stringify(value));
      return;
    case "boolean":
      out.push(value ? "true" : "false");
      return;
    case "number":
      if (!Number.isFinite(value)) {
        throw new ValidationError(`${path} is ${value}, which JSON cannot carry`);
      }
      out.push(JSON.stringify(value));
      return;
    case "object":
      break;
    default:
      throw new ValidationError(`${path} is a ${typeof value}, which JSON cannot carry`);
  }
  if (value === null) {
    out.push("null");
    return;
  }
  if (seen.has(value)) throw new ValidationError(`${path} is a cycle, which JSON cannot carry`);
  seen.add(value);
  if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(",");
      const item: unknown = value[i];
      write(item === undefined ? null : item, out, seen, `${path}[${i}]`);
    }
    out.push("]");
  } else {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    out.push("{");
    keys.forEach((key, i) => {
      if (i > 0) out.push(",");
      out.push(JSON.stringify(key), ":");
      write(record[key], out, seen, `${path}.${key}`);
    });
    out.push("}");
  }
  seen.delete(value);
}
