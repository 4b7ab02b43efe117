import { DurableObject } from "cloudflare:workers";

/**
 * A SQLite-backed Durable Object with no behaviour of its own: the workers tests run stores inside
 * it with `runInDurableObject`, on its `ctx.storage`.
 */
export class StoreTestObject extends DurableObject {}
