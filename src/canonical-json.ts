import { ValidationError } from "./errors.ts";

/**
 * Serializes a JSON value canonically: object keys sorted by UTF-16 code units, no whitespace,
 * numbers as `JSON.stringify` writes them. The same value gives the same string in every runtime.
 * @throws ValidationError when the value holds something JSON cannot carry (a function, a
 * non-finite number, a bigint, a cycle).
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, new Set(), "$");
  return parts.join("");
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
