// What `wrangler types` would generate: types `exports` from "cloudflare:workers" (and `ctx.exports`)
// after the main module, and the bindings in wrangler.toml.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import("./index.ts");
  }
  interface Env {
    /** One Durable Object per run (`idFromName(runId)`). */
    RUN_OBJECT: DurableObjectNamespace;
    /** The run index behind `GET /runs` (one object, `idFromName("index")`). */
    RUN_INDEX: DurableObjectNamespace;
    /** The API token (a secret: `wrangler secret put RUNLOG_TOKEN`); unset means no auth. */
    RUNLOG_TOKEN?: string;
  }
}
