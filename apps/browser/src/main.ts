// Boots the app: opens the browser host on IndexedDB (which re-arms timers and resumes runs that
// were running when the tab closed), mounts the UI, and registers the offline service worker.
import { createBrowserHost } from "runlog/idb";
import { h, replaceChildren } from "../../ui-kit/dom.ts";
import { App } from "./app.ts";
import { messageOf } from "./toast.ts";
import { providers, tools, workflows } from "./workflows.ts";

/** Set by the Vite config: true in a build, where `sw.js` exists. */
declare const __RUNLOG_SW__: boolean;

async function boot(): Promise<void> {
  const root = document.getElementById("app");
  if (!root) return;
  try {
    const host = await createBrowserHost({
      workflows,
      tools,
      providers,
      onError: (runId, error) => console.warn(`run ${runId}:`, error),
    });
    await new App(host, root).start();
  } catch (error) {
    replaceChildren(
      root,
      h(
        "div",
        { class: "empty-state fatal" },
        h("h1", {}, "This browser cannot keep runs"),
        h(
          "p",
          {},
          `runlog stores runs in IndexedDB, which is not available here: ${messageOf(error)}`,
        ),
        h(
          "p",
          { class: "muted" },
          "Private windows of some browsers turn it off. Try a normal window.",
        ),
      ),
    );
  }
  if (__RUNLOG_SW__ && "serviceWorker" in navigator) {
    navigator.serviceWorker.register("./sw.js").catch((error: unknown) => {
      console.warn("the offline service worker did not register:", error);
    });
  }
}

void boot();
