// The table of malformed and refused requests both HTTP API suites run: each must be answered
// 4xx with the documented error body and every log unchanged.
import { JSON_HEADERS, SEEDED } from "./http-api-cases.ts";

/** A request the API must refuse with `status`, appending nothing. */
export interface BadRequestCase {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  status: number;
  code?: string;
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const withByte = (before: string, byte: number, after: string) =>
  new Uint8Array([...utf8(before), byte, ...utf8(after)]);
const start = (body: unknown) => JSON.stringify(body);
const long = (n: number) => "a".repeat(n);
/** JSON text of an array nested `n` levels deep. */
const deep = (n: number) => `${"[".repeat(n)}1${"]".repeat(n)}`;
const NDJSON = { "content-type": "application/x-ndjson" };
const HEADER = JSON.stringify({
  format: "runlog.run",
  version: 1,
  runId: "d",
  head: 1,
  hash: "0".repeat(64),
});
const { approval, signal } = SEEDED;

/** Malformed and refused requests, each answered 4xx with every log unchanged. */
export const BAD_REQUESTS: BadRequestCase[] = [
  {
    name: "malformed JSON",
    method: "POST",
    path: "/runs",
    body: '{"workflow":',
    status: 400,
    code: "validation",
  },
  { name: "a JSON array body", method: "POST", path: "/runs", body: "[]", status: 400 },
  { name: "an empty body", method: "POST", path: "/runs", body: "", status: 400 },
  {
    name: "a missing workflow",
    method: "POST",
    path: "/runs",
    body: start({ input: {} }),
    status: 400,
  },
  {
    name: "a workflow of the wrong type",
    method: "POST",
    path: "/runs",
    body: start({ workflow: 7 }),
    status: 400,
  },
  {
    name: "an unknown field",
    method: "POST",
    path: "/runs",
    body: start({ workflow: "demo.signal", input: {}, extra: 1 }),
    status: 400,
  },
  {
    name: "an unknown workflow",
    method: "POST",
    path: "/runs",
    body: start({ workflow: "demo.nope" }),
    status: 400,
  },
  {
    name: "an oversized workflow name",
    method: "POST",
    path: "/runs",
    body: start({ workflow: long(10_000) }),
    status: 400,
  },
  {
    name: "input the workflow refuses",
    method: "POST",
    path: "/runs",
    body: start({ workflow: "demo.approval", input: { text: 5 } }),
    status: 400,
  },
  {
    name: "an oversized input string",
    method: "POST",
    path: "/runs",
    body: start({ workflow: "demo.approval", input: { text: long(100_001) } }),
    status: 400,
  },
  {
    name: "a run id with a path",
    method: "POST",
    path: "/runs",
    body: start({ workflow: "demo.signal", input: {}, runId: "../x" }),
    status: 400,
  },
  {
    name: "a 200-character run id",
    method: "POST",
    path: "/runs",
    body: start({ workflow: "demo.signal", input: {}, runId: long(200) }),
    status: 400,
  },
  {
    name: "a run id reused for another workflow",
    method: "POST",
    path: "/runs",
    body: start({ workflow: "demo.signal", input: {}, runId: approval }),
    status: 409,
    code: "conflict",
  },
  {
    name: "invalid UTF-8 in a body",
    method: "POST",
    path: "/runs",
    body: withByte('{"workflow":"demo.approval","runId":"u","input":{"text":"', 0xff, '"}}'),
    status: 400,
  },
  {
    name: "invalid UTF-8 in a string",
    method: "POST",
    path: `/runs/${signal}/signals/go`,
    body: withByte('{"value":"', 0xc3, '"}'),
    status: 400,
  },
  {
    name: "a text/plain body",
    method: "POST",
    path: "/runs",
    headers: { "content-type": "text/plain" },
    body: start({ workflow: "demo.signal", input: {} }),
    status: 415,
  },
  { name: "an encoded ../x run id", method: "GET", path: "/runs/%2e%2e%2fx", status: 400 },
  {
    name: "an encoded ../x run id on a write",
    method: "POST",
    path: "/runs/%2e%2e%2fx/cancel",
    body: "{}",
    status: 400,
  },
  {
    name: "a 200-character run id in the path",
    method: "GET",
    path: `/runs/${long(200)}`,
    status: 400,
  },
  { name: "a run id with a percent byte", method: "GET", path: "/runs/a%FFb", status: 400 },
  { name: "an unknown run", method: "GET", path: "/runs/nope", status: 404, code: "run_not_found" },
  { name: "events of an unknown run", method: "GET", path: "/runs/nope/events", status: 404 },
  { name: "a limit that is not a number", method: "GET", path: "/runs?limit=abc", status: 400 },
  { name: "a limit of 0", method: "GET", path: "/runs?limit=0", status: 400 },
  { name: "an unknown status filter", method: "GET", path: "/runs?status=sleeping", status: 400 },
  { name: "a malformed cursor", method: "GET", path: "/runs?cursor=garbage", status: 400 },
  { name: "a negative from", method: "GET", path: `/runs/${approval}/events?from=-1`, status: 400 },
  {
    name: "a resume without a value",
    method: "POST",
    path: `/runs/${approval}/resume`,
    body: "{}",
    status: 400,
  },
  {
    name: "a resume of another interrupt",
    method: "POST",
    path: `/runs/${approval}/resume`,
    body: start({ value: true, interruptId: "other" }),
    status: 409,
    code: "not_blocked",
  },
  {
    name: "a resume of a run not waiting on an interrupt",
    method: "POST",
    path: `/runs/${signal}/resume`,
    body: start({ value: true }),
    status: 409,
  },
  {
    name: "a resume of an unknown run",
    method: "POST",
    path: "/runs/nope/resume",
    body: start({ value: true }),
    status: 404,
  },
  {
    name: "a signal name with a space",
    method: "POST",
    path: `/runs/${signal}/signals/bad%20name`,
    body: "{}",
    status: 400,
  },
  {
    name: "a 101-character signal name",
    method: "POST",
    path: `/runs/${signal}/signals/${long(101)}`,
    body: "{}",
    status: 400,
  },
  {
    name: "an oversized Idempotency-Key",
    method: "POST",
    path: `/runs/${signal}/signals/go`,
    headers: { ...JSON_HEADERS, "idempotency-key": long(300) },
    body: "{}",
    status: 400,
  },
  {
    name: "a signal to an unknown run",
    method: "POST",
    path: "/runs/nope/signals/go",
    body: "{}",
    status: 404,
  },
  {
    name: "a cancel reason of the wrong type",
    method: "POST",
    path: `/runs/${approval}/cancel`,
    body: start({ reason: 5 }),
    status: 400,
  },
  {
    name: "a fork at seq 0",
    method: "POST",
    path: `/runs/${approval}/fork`,
    body: start({ atSeq: 0 }),
    status: 400,
  },
  {
    name: "a fork past the head",
    method: "POST",
    path: `/runs/${approval}/fork`,
    body: start({ atSeq: 999 }),
    status: 400,
  },
  {
    name: "a fork onto an existing run",
    method: "POST",
    path: `/runs/${approval}/fork`,
    body: start({ atSeq: 1, newRunId: signal }),
    status: 409,
  },
  {
    name: "a fork with a forbidden alternate event",
    method: "POST",
    path: `/runs/${approval}/fork`,
    body: start({ atSeq: 1, alternate: [{ type: "Completed" }] }),
    status: 400,
  },
  {
    name: "an import that is not an export",
    method: "POST",
    path: "/runs/import",
    headers: { "content-type": "application/x-ndjson" },
    body: "not ndjson\n",
    status: 400,
  },
  {
    name: "an empty import",
    method: "POST",
    path: "/runs/import",
    headers: { "content-type": "application/x-ndjson" },
    body: "",
    status: 400,
  },
  {
    name: "an input nested past the depth limit",
    method: "POST",
    path: "/runs",
    body: `{"workflow":"demo.signal","runId":"deep","input":{"x":${deep(128)}}}`,
    status: 400,
    code: "validation",
  },
  {
    name: "a resume value nested past the depth limit",
    method: "POST",
    path: `/runs/${approval}/resume`,
    body: `{"value":${deep(129)}}`,
    status: 400,
  },
  {
    name: "a signal value nested 3,000 deep",
    method: "POST",
    path: `/runs/${signal}/signals/go`,
    body: `{"value":${deep(3000)}}`,
    status: 400,
  },
  {
    name: "a fork alternate nested past the depth limit",
    method: "POST",
    path: `/runs/${approval}/fork`,
    body: `{"atSeq":4,"newRunId":"deep-fork","alternate":[{"type":"StateUpdated","payload":${deep(129)}}]}`,
    status: 400,
  },
  {
    name: "an import line nested past the depth limit",
    method: "POST",
    path: "/runs/import",
    headers: NDJSON,
    body: `${HEADER}\n{"seq":1,"ts":1,"event":{"type":"RunStarted","workflow":"demo.signal","version":1,"input":${deep(200)}}}\n`,
    status: 400,
  },
  {
    name: "an import sent as text/plain",
    method: "POST",
    path: "/runs/import",
    headers: { "content-type": "text/plain" },
    body: `${HEADER}\n`,
    status: 415,
    code: "unsupported_media_type",
  },
  {
    name: "an import sent as a form",
    method: "POST",
    path: "/runs/import",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `${HEADER}\n`,
    status: 415,
  },
  { name: "a limit in hex", method: "GET", path: "/runs?limit=0x10", status: 400 },
  {
    name: "a from in exponent notation",
    method: "GET",
    path: `/runs/${approval}/events?from=1e0`,
    status: 400,
  },
  {
    name: "a Last-Event-ID in hex",
    method: "GET",
    path: `/runs/${approval}/stream`,
    headers: { "last-event-id": "0x2" },
    status: 400,
  },
  {
    name: "a start of an existing run id with other input",
    method: "POST",
    path: "/runs",
    body: start({ workflow: "demo.approval", input: { text: "other" }, runId: approval }),
    status: 409,
    code: "conflict",
  },
  {
    name: "resume tokens for an unknown run",
    method: "POST",
    path: "/runs/nope/resume-tokens",
    body: "{}",
    status: 404,
  },
  { name: "an unknown route", method: "GET", path: "/nope", status: 404, code: "not_found" },
  {
    name: "a wrong method",
    method: "DELETE",
    path: `/runs/${approval}`,
    status: 405,
    code: "method_not_allowed",
  },
];
