// What `wrangler types` would generate: types `exports` from "cloudflare:workers" (and `ctx.exports`)
// after the main module, and the bindings in wrangler.toml.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index.ts");
  }
  interface Env {
    STORE_TEST: DurableObjectNamespace<import("./store-test-object.ts").StoreTestObject>;
  }
}
