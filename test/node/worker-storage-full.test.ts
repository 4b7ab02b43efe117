// The Worker on a full disk: workerd runs the production Worker with its Durable Objects' SQLite
// files on a small tmpfs of its own (a private mount namespace, `unshare -rm`, so nothing on the
// machine is mounted), beside a ballast file that keeps some space back. Runs are started until
// the disk is full: the API answers 507 storage_full, every run stored before is still there and
// the refused one left nothing; once the ballast goes, the same request succeeds, and a restart
// of workerd on the same files finds every run. No store wrapper: the failure is SQLite's own.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const TOKEN = "storage-full-token";
const DISK = "8m";
const BALLAST_BYTES = 5 * 1024 * 1024;
const canUnshare = spawnSync("unshare", ["-rm", "true"]).status === 0;

const dir = mkdtempSync(join(tmpdir(), "runlog-full-"));
let child: ChildProcessWithoutNullStreams | undefined;
let output = "";
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.stdin.end();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Waits until the runner has printed a line matching `pattern` after `from` characters. */
async function line(pattern: RegExp, from: number): Promise<RegExpMatchArray> {
  for (let waited = 0; waited < 120_000; waited += 50) {
    const found = output.slice(from).match(pattern);
    if (found) return found;
    if (child?.exitCode !== null) throw new Error(`the Worker's runner stopped:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${pattern} from the Worker's runner:\n${output}`);
}

async function api(base: string, method: string, path: string, body?: unknown, key?: string) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(key === undefined ? {} : { "idempotency-key": key }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, of several shapes.
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const small = (runId: string) => ({ workflow: "demo.approval", input: { text: runId }, runId });

/** A 99 KB signal value. */
const fill = (i: number) => ({ value: { i, pad: "x".repeat(99_000) } });

describe("the Worker when its Durable Objects' disk is full", () => {
  it.skipIf(!canUnshare)(
    "answers 507 storage_full, keeps every run it stored, writes nothing of the refused signal, and takes it once space is back",
    async () => {
      const script = [
        "set -e",
        `mount -t tmpfs -o size=${DISK} tmpfs "$1"`,
        `head -c ${BALLAST_BYTES} /dev/zero > "$1/ballast"`,
        'exec node test/support/worker-on-disk.mjs "$1" "$2"',
      ].join("\n");
      child = spawn("unshare", ["-rm", "sh", "-c", script, "sh", dir, TOKEN], { cwd: root });
      child.stdout.on("data", (chunk) => {
        output += String(chunk);
      });
      child.stderr.on("data", (chunk) => {
        output += String(chunk);
      });
      let base = (await line(/url (http:\S+)/, 0))[1] as string;

      const stored: string[] = [];
      for (let i = 0; i < 3; i++) {
        const runId = `small-${i}`;
        const answer = await api(base, "POST", "/runs?wait=true", small(runId));
        expect(answer.status).toBe(201);
        stored.push(runId);
      }
      const sink = "sink";
      expect(
        await api(base, "POST", "/runs?wait=true", {
          workflow: "demo.signal",
          input: { name: "go" },
          runId: sink,
        }),
      ).toMatchObject({ status: 201 });
      let refused: Awaited<ReturnType<typeof api>> | undefined;
      let refusedKey = "";
      let sent = 0;
      for (let i = 0; i < 38 && !refused; i++) {
        const key = `fill-${i}`;
        const answer = await api(base, "POST", `/runs/${sink}/signals/fill`, fill(i), key);
        if (answer.status === 202) sent += 1;
        else {
          refused = answer;
          refusedKey = key;
        }
      }
      expect(sent).toBeGreaterThan(2);
      expect(refused).toMatchObject({
        status: 507,
        body: {
          error: { code: "storage_full", message: expect.stringMatching(/storage is full/) },
        },
      });

      // Nothing lost, nothing half-written.
      for (const runId of stored) {
        expect(await api(base, "GET", `/runs/${runId}`)).toMatchObject({
          status: 200,
          body: { status: "blocked", head: 4 },
        });
      }
      const signalsOf = async () => {
        // The API's events are flat: `{ seq, ts, type, ...fields }`.
        const { body } = await api(base, "GET", `/runs/${sink}/events?limit=1000`);
        return (body.events as { type: string; signalId?: string }[]).filter(
          (e) => e.type === "SignalReceived",
        );
      };
      expect((await signalsOf()).map((e) => e.signalId)).toEqual(
        Array.from({ length: sent }, (_, i) => `fill-${i}`),
      );

      const from = output.length;
      child.stdin.write("free\n");
      await line(/freed/, from);
      expect(
        await api(base, "POST", `/runs/${sink}/signals/fill`, fill(sent), refusedKey),
      ).toMatchObject({ status: 202 });
      expect((await signalsOf()).map((e) => e.signalId)).toContain(refusedKey);
      const resumed = await api(base, "POST", `/runs/${stored[0]}/resume?wait=true`, {
        value: { approved: true },
      });
      expect(resumed).toMatchObject({ status: 200, body: { status: "completed" } });

      // A restart of workerd on the same files finds every run as it was left.
      const before = output.length;
      child.stdin.write("restart\n");
      base = (await line(/url (http:\S+)/, before))[1] as string;
      for (const runId of stored.slice(1)) {
        expect((await api(base, "GET", `/runs/${runId}`)).body).toMatchObject({
          status: "blocked",
          head: 4,
        });
      }
      expect((await api(base, "GET", `/runs/${stored[0]}`)).body).toMatchObject({
        status: "completed",
      });
      expect((await signalsOf()).length).toBe(sent + 1);
    },
    300_000,
  );
});
