/**
 * Renders an OpenAPI document as one self-contained HTML page: no script, no stylesheet or font
 * from elsewhere, so it works offline and under a strict Content-Security-Policy.
 */

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{
    name: string;
    in: string;
    required?: boolean;
    description?: string;
    schema?: unknown;
  }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
  responses?: Record<
    string,
    { description?: string; content?: Record<string, { schema?: unknown }> }
  >;
}

interface DocumentLike {
  info: { title: string; version: string; description?: string };
  tags?: Array<{ name: string; description?: string }>;
  paths?: Record<string, Record<string, Operation> | undefined>;
  components?: { schemas?: Record<string, unknown> };
}

const METHODS = ["get", "post", "put", "patch", "delete"];

/** The HTML page of an OpenAPI 3 document. */
export function renderDocsPage(document: object): string {
  const doc = document as DocumentLike;
  const ops = operations(doc);
  const tags = doc.tags ?? [];
  const body = tags
    .map((tag) => {
      const mine = ops.filter((op) => (op.operation.tags ?? [])[0] === tag.name);
      if (mine.length === 0) return "";
      return `<h2 id="tag-${esc(tag.name)}">${esc(tag.name)}</h2>${tag.description ? `<p>${prose(tag.description)}</p>` : ""}${mine.map((op) => renderOperation(op, doc)).join("")}`;
    })
    .join("");
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(
      ([name, schema]) =>
        `<section id="schema-${esc(name)}"><h3>${esc(name)}</h3>${schemaBlock(schema)}</section>`,
    )
    .join("");
  const toc = ops
    .map(
      (op) =>
        `<li><a href="#${anchorOf(op)}"><span class="m ${op.method}">${op.method.toUpperCase()}</span> ${esc(op.path)}</a></li>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)}</title><style>${CSS}</style></head>
<body><nav><h1>${esc(doc.info.title)} <small>v${esc(doc.info.version)}</small></h1><ul>${toc}</ul>
<p><a href="#schemas">Schemas</a> · <a href="openapi.json">openapi.json</a></p></nav>
<main>${doc.info.description ? `<p class="lead">${prose(doc.info.description)}</p>` : ""}${body}
<h2 id="schemas">Schemas</h2>${schemas}</main></body></html>`;
}

interface Op {
  method: string;
  path: string;
  operation: Operation;
}

function operations(doc: DocumentLike): Op[] {
  const ops: Op[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item?.[method];
      if (operation) ops.push({ method, path, operation });
    }
  }
  return ops;
}

function renderOperation(op: Op, doc: DocumentLike): string {
  const o = op.operation;
  const open = Array.isArray(o.security) && o.security.length === 0;
  const params = (o.parameters ?? [])
    .map(
      (p) =>
        `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? "required" : ""}</td><td>${inlineSchema(p.schema)}</td><td>${prose(p.description ?? "")}</td></tr>`,
    )
    .join("");
  const request = Object.entries(o.requestBody?.content ?? {})
    .map(
      ([type, media]) =>
        `<h4>Body <code>${esc(type)}</code>${o.requestBody?.required ? " (required)" : ""} ${inlineSchema(media.schema)}</h4>${schemaBlock(resolve(media.schema, doc))}`,
    )
    .join("");
  const responses = Object.entries(o.responses ?? {})
    .map(([status, r]) => {
      const content = Object.entries(r.content ?? {})
        .map(([type, media]) => `<code>${esc(type)}</code> ${inlineSchema(media.schema)}`)
        .join(" ");
      return `<tr><td class="s${esc(status[0] ?? "")}">${esc(status)}</td><td>${prose(r.description ?? "")}</td><td>${content}</td></tr>`;
    })
    .join("");
  return `<section class="op" id="${anchorOf(op)}"><h3><span class="m ${op.method}">${op.method.toUpperCase()}</span> <code>${esc(op.path)}</code>${open ? ' <span class="tag">no auth</span>' : ""}</h3>
<p><strong>${esc(o.summary ?? "")}</strong></p>${o.description ? `<p>${prose(o.description)}</p>` : ""}
${params ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th></th><th>type</th><th></th></tr>${params}</table>` : ""}
${request}<h4>Responses</h4><table>${responses}</table></section>`;
}

function anchorOf(op: Op): string {
  return `op-${op.method}-${op.path.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

/** A short inline form of a schema: a link for a reference, else its type. */
function inlineSchema(schema: unknown): string {
  if (!schema || typeof schema !== "object") return "";
  const s = schema as { $ref?: string; type?: unknown; enum?: unknown[]; items?: unknown };
  if (s.$ref) return refLink(s.$ref);
  if (s.enum) return s.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(" | ");
  if (s.type === "array") return `array of ${inlineSchema(s.items)}`;
  return s.type === undefined ? "any" : `<code>${esc(String(s.type))}</code>`;
}

/** The component a top-level `$ref` names, so a body shows its fields where it is used. */
function resolve(schema: unknown, doc: DocumentLike): unknown {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  const name = ref?.startsWith("#/components/schemas/") ? ref.slice(21) : undefined;
  return (name !== undefined && doc.components?.schemas?.[name]) || schema;
}

function schemaBlock(schema: unknown): string {
  const text = esc(JSON.stringify(schema ?? {}, null, 2));
  return `<pre>${text.replace(/&quot;#\/components\/schemas\/([A-Za-z0-9_.-]+)&quot;/g, (_m, name: string) => `"${refLink(`#/components/schemas/${name}`)}"`)}</pre>`;
}

function refLink(ref: string): string {
  const name = ref.split("/").pop() ?? ref;
  return `<a href="#schema-${esc(name)}">${esc(name)}</a>`;
}

/** Escaped text with `code` spans. */
function prose(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

function esc(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const CSS = `*{box-sizing:border-box}body{margin:0;display:flex;font:15px/1.5 system-ui,-apple-system,Segoe UI,sans-serif;color:#1f2328;background:#f6f8fa}
nav{position:sticky;top:0;height:100vh;overflow:auto;width:320px;flex:none;padding:20px;background:#fff;border-right:1px solid #d0d7de}
nav h1{font-size:18px;margin:0 0 12px}nav ul{list-style:none;padding:0;margin:0}nav li{margin:2px 0;font-size:13px}nav a{color:inherit;text-decoration:none}
main{flex:1;min-width:0;padding:24px 40px;max-width:1100px}h2{margin-top:40px;border-bottom:1px solid #d0d7de;text-transform:capitalize}
.op{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:4px 20px 12px;margin:16px 0}
.m{display:inline-block;min-width:52px;text-align:center;border-radius:4px;padding:0 6px;font:600 12px/20px ui-monospace,monospace;color:#fff}
.get{background:#0969da}.post{background:#1a7f37}.put,.patch{background:#9a6700}.delete{background:#cf222e}
.tag{font-size:12px;color:#57606a;border:1px solid #d0d7de;border-radius:10px;padding:0 8px}
table{border-collapse:collapse;width:100%;font-size:14px}td,th{border-top:1px solid #eaeef2;padding:4px 8px;text-align:left;vertical-align:top}
.s2{color:#1a7f37;font-weight:600}.s4,.s5{color:#cf222e;font-weight:600}
pre{background:#f6f8fa;border:1px solid #eaeef2;border-radius:6px;padding:10px;overflow:auto;font-size:12px;max-height:420px}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}.lead{font-size:16px}`;
