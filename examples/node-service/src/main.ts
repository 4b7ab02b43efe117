// Your Node service with runlog's HTTP API: runs kept in SQLite, served on PORT (default 3000).
import { createNodeHost, serve } from "runlog/node";
import { lookupOrder, payBack, refund } from "./refund.ts";

const host = await createNodeHost({
  path: process.env.RUNLOG_DB ?? "./.data/runs.db",
  workflows: [refund],
  tools: [lookupOrder, payBack],
});
const server = await serve(host, {
  port: Number(process.env.PORT ?? 3000),
  token: process.env.RUNLOG_TOKEN,
});
console.log(`runlog API on ${server.url}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await server.close();
    await host.close();
    process.exit(0);
  });
}
