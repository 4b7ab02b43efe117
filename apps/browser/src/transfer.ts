// Export a run as an NDJSON download; import one from a file.

/** Saves `text` as a download named `filename`. */
export function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/x-ndjson" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The run id in an export's header line, when there is one. */
export function headerRunId(text: string): string | undefined {
  try {
    const header = JSON.parse(text.slice(0, text.indexOf("\n") >>> 0)) as { runId?: unknown };
    return typeof header.runId === "string" ? header.runId : undefined;
  } catch {
    return undefined;
  }
}
