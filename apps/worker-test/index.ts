/**
 * The Worker the workers tests run: the production Worker (apps/worker) plus the Durable Objects
 * only the tests use, bound by this folder's wrangler.toml. Never deployed.
 */
export { default, RunIndexObject, RunObject } from "../worker/index.ts";
export { ContractRunObject } from "./contract-run-object.ts";
export { StoreTestObject } from "./store-test-object.ts";
export { TestRunObject } from "./test-run-object.ts";
