// "Import": pick an exported NDJSON file, import it as a run, open it.

import { h } from "../../../ui-kit/dom.ts";
import { api } from "./api.ts";
import { navigate, runHref } from "./router.ts";
import { toast, toastError } from "./toast.ts";

/** Asks for a file and imports it. */
export function importRunFile(): void {
  const input = h("input", {
    type: "file",
    accept: ".ndjson,.jsonl,application/x-ndjson,text/plain",
  });
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    if (!file) return;
    try {
      const imported = await api.importRun(await file.text());
      toast(`Imported ${file.name}`, "success");
      navigate(runHref(imported.runId));
    } catch (error) {
      toastError(error, "Import failed");
    }
  });
  input.click();
}
