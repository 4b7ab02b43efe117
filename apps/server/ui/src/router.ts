// Hash routes, so the server serves one index.html and needs no fallback: `#/` is the list
// (`#/?status=blocked`), `#/runs/:id` a run.
import type { RunStatusWord } from "./types.ts";
import { STATUSES } from "./types.ts";

/** Where the UI is. */
export type Route =
  | { name: "runs"; status?: RunStatusWord }
  | { name: "run"; runId: string }
  | { name: "notFound"; path: string };

/** The route of a location hash. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, "") || "/";
  const [path = "/", query = ""] = raw.split("?");
  if (path === "/" || path === "" || path === "/runs") {
    const status = new URLSearchParams(query).get("status");
    return STATUSES.includes(status as RunStatusWord)
      ? { name: "runs", status: status as RunStatusWord }
      : { name: "runs" };
  }
  const match = /^\/runs\/(.+)$/.exec(path);
  if (match?.[1]) return { name: "run", runId: decodeURIComponent(match[1]) };
  return { name: "notFound", path };
}

/** The hash of a run's page. */
export function runHref(runId: string): string {
  return `#/runs/${encodeURIComponent(runId)}`;
}

/** The hash of the list, filtered by status. */
export function runsHref(status?: RunStatusWord): string {
  return status ? `#/?status=${status}` : "#/";
}

/** Goes to a hash route. */
export function navigate(href: string): void {
  if (location.hash === href) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = href;
}
