// Type-level helpers for tests that tie copies of one schema together: which keys a type has, and
// which of them are optional, so two copies compare even where their value types differ by
// design (`Json` in the core, `unknown` in a zod schema).

/** The keys of `T` that may be left out. */
export type OptionalKeys<T> = {
  [K in keyof T]-?: Partial<Pick<T, K>> extends Pick<T, K> ? K : never;
}[keyof T];

/** The keys of `T` that must be there. */
export type RequiredKeys<T> = Exclude<keyof T, OptionalKeys<T>>;

/** A type's keys, split into required and optional: equal shapes have the same fields. */
export type Shape<T> = { required: RequiredKeys<T>; optional: OptionalKeys<T> };

/** The shape of each member of a union discriminated on `type`. */
export type ShapesByType<U extends { type: string }> = {
  [T in U["type"]]: Shape<Extract<U, { type: T }>>;
};

/** `snake_case` of a `camelCase` name. */
export type Snake<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${Snake<Tail>}`
  : S;
