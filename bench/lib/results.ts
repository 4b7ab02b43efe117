import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** bench/RESULTS.md: the committed results, written only with `--write-results`. */
export const RESULTS_PATH = fileURLToPath(new URL("../RESULTS.md", import.meta.url));

/** bench/results/: where every pass writes its own file (git-ignored). */
export const RUNS_DIR = fileURLToPath(new URL("../results/", import.meta.url));

/** The file a pass started at `at` writes: `bench/results/<UTC time>.md`, sortable by name. */
export function runResultsPath(at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/\.\d+Z$/, "Z")
    .replaceAll(":", "-");
  return `${RUNS_DIR}${stamp}.md`;
}

/**
 * The files a pass writes its sections to: its own file (`out`), and the committed RESULTS.md
 * too only when asked (`--write-results`), so a trial run never rewrites the published figures.
 */
export function resultsTargets(out: string, writeResults: boolean): string[] {
  return writeResults ? [out, RESULTS_PATH] : [out];
}

const INTRO = `# runlog benchmarks: results

Written by \`npm run bench\` (\`-- --quick\` for a short pass, \`-- --only=1,2\` for some measures):
each pass writes its own file in \`bench/results/\`, and \`-- --write-results\` also updates the
committed \`bench/RESULTS.md\`.
Each section is replaced when its benchmark runs again and says when and where it ran. Times are
min / **median** / max over the counted runs (after a warm-up run that is dropped), and every
ratio is against a peer measured in the same process or the same run, since absolute times on a
shared machine drift. The measures and targets are issue 8's table.
`;

const begin = (id: string) => `<!-- bench:${id} begin -->`;
const end = (id: string) => `<!-- bench:${id} end -->`;

/**
 * Replaces (or adds) the section `id` of RESULTS.md, keeping the others; sections stay in `id`
 * order. `path` defaults to bench/RESULTS.md.
 */
export function writeSection(id: string, markdown: string, path = RESULTS_PATH): void {
  mkdirSync(dirname(path), { recursive: true });
  const text = existsSync(path) ? readFileSync(path, "utf8") : INTRO;
  const sections = new Map<string, string>();
  const pattern = /<!-- bench:(\S+) begin -->\n([\s\S]*?)\n<!-- bench:\1 end -->/g;
  for (const m of text.matchAll(pattern)) sections.set(m[1] as string, m[2] as string);
  const head = text.split("<!-- bench:")[0]?.trimEnd() ?? INTRO.trimEnd();
  sections.set(id, markdown.trim());
  const ordered = [...sections.entries()].sort(([a], [b]) =>
    a.localeCompare(b, "en", { numeric: true }),
  );
  const body = ordered.map(([k, v]) => `${begin(k)}\n${v}\n${end(k)}`).join("\n\n");
  writeFileSync(path, `${head}\n\n${body}\n`);
}
