/** A JSON value. Interfaces (not a recursive alias) keep Hono and Workers RPC typing tractable. */
export type Json = null | boolean | number | string | JsonArray | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}
/** A JSON array. */
export interface JsonArray extends Array<Json> {}
