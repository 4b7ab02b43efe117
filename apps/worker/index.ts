/**
 * The Worker entry point. For now it only answers `GET /health`; the runlog HTTP API and its
 * Durable Objects will be mounted here.
 */
export { StoreTestObject } from "./store-test-object.ts";

const worker: ExportedHandler = {
  fetch(request: Request): Response {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/health") {
      return Response.json({ ok: true });
    }
    return new Response("not found", { status: 404 });
  },
};

export default worker;
