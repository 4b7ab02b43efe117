// The page: starts an expense run in IndexedDB, shows its status, and answers its question. A
// reload (or a closed tab) loses nothing: the newest run is shown again and can be answered.
import type { RunInfo } from "runlog";
import { createBrowserHost } from "runlog/idb";
import { checkPolicy, expense } from "./expense.ts";

const host = await createBrowserHost({ workflows: [expense], tools: [checkPolicy] });

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let current: string | undefined;

function show(run: RunInfo): void {
  current = run.runId;
  $("run").textContent = run.runId;
  $("status").textContent = run.status;
  const interrupt = run.blocked?.interrupt;
  $("question").hidden = interrupt === undefined;
  $("prompt").textContent = (interrupt?.value as { question?: string } | undefined)?.question ?? "";
  $("output").textContent = run.output === undefined ? "" : JSON.stringify(run.output);
}

$("start").addEventListener("submit", async (event) => {
  event.preventDefault();
  const what = $<HTMLInputElement>("what").value;
  const amount = Number($<HTMLInputElement>("amount").value);
  show(await host.start("expense", { what, amount }, { wait: true }));
});

for (const [id, approved] of [
  ["approve", true],
  ["reject", false],
] as const) {
  $(id).addEventListener("click", async () => {
    if (current) show(await host.resume(current, { approved }, { wait: true }));
  });
}

// Other tabs' progress too: every commit re-reads the run on screen.
host.onCommit((runId) => {
  if (runId === current) void host.get(runId).then(show);
});

const newest = (await host.list({ limit: 1 })).runs[0];
if (newest) show(await host.get(newest.runId));
