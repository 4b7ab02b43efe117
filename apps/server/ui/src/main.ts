// The runlog web UI: hash routes to the runs list and run pages, one page mounted at a time.

import { h } from "../../../ui-kit/dom.ts";
import {
  allowTokenPrompt,
  getToken,
  setToken,
  tokenPromptDismissed,
  tokenRejected,
} from "./auth.ts";
import { icon } from "./icons.ts";
import { parseRoute, runsHref } from "./router.ts";
import { runPage } from "./run-page.ts";
import { runsPage } from "./runs-page.ts";

let current: { dispose(): void } | undefined;

function mount(): void {
  const main = document.getElementById("main");
  if (!main) return;
  current?.dispose();
  const route = parseRoute(location.hash);
  let page: { el: HTMLElement; dispose(): void };
  if (route.name === "run") {
    page = runPage(route.runId);
    document.title = `${route.runId} · runlog`;
  } else if (route.name === "runs") {
    page = runsPage(route.status);
    document.title = "Runs · runlog";
  } else {
    page = {
      el: h(
        "div",
        { class: "card empty" },
        h("h1", { class: "empty-title" }, "Page not found"),
        h("p", { class: "empty-text" }, h("a", { href: runsHref() }, "Go to the runs")),
      ),
      dispose() {},
    };
  }
  current = page;
  main.replaceChildren(page.el);
  for (const link of document.querySelectorAll<HTMLElement>("[data-nav]")) {
    link.classList.toggle("is-active", route.name !== "notFound");
  }
  window.scrollTo(0, 0);
}

function renderTopbarEnd(): void {
  const end = document.getElementById("topbar-end");
  if (!end) return;
  if (getToken()) {
    end.replaceChildren(
      h(
        "button",
        {
          type: "button",
          class: "btn btn-ghost btn-sm",
          title: "Forget the access token for this tab",
          onclick: () => {
            setToken(undefined);
            mount();
          },
        },
        icon("logOut", 14),
        "Sign out",
      ),
    );
  } else if (tokenPromptDismissed()) {
    end.replaceChildren(
      ...(tokenRejected()
        ? [h("span", { class: "topbar-note" }, "The server did not accept the token")]
        : []),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-sm",
          onclick: () => {
            allowTokenPrompt();
            renderTopbarEnd();
            mount();
          },
        },
        icon("key", 14),
        "Enter access token",
      ),
    );
  } else {
    end.replaceChildren();
  }
}

window.addEventListener("hashchange", mount);
document.addEventListener("runlog:token", renderTopbarEnd);
renderTopbarEnd();
mount();
