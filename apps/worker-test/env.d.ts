// The bindings apps/worker-test/wrangler.toml adds to the production Worker's (apps/worker/env.d.ts).
declare namespace Cloudflare {
  interface Env {
    /** Run objects with test workflows, a movable clock and lossy reports. */
    TEST_RUN_OBJECT: DurableObjectNamespace;
    /** Run objects with the demo workflows and the host contract suite's (test/contract). */
    CONTRACT_RUN_OBJECT: DurableObjectNamespace;
    STORE_TEST: DurableObjectNamespace<import("./store-test-object.ts").StoreTestObject>;
  }
}
