// The published OpenAPI document passes Redocly's `recommended` ruleset with no error and no
// warning. The linter runs in-process on the document the server serves, with nothing fetched.
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { createMemoryHost } from "runlog";
import { demoWorkflows } from "runlog/demos";
import { createRunApi } from "runlog/http";
import { describe, expect, it } from "vitest";

async function servedDocument(options: { token?: string } = {}) {
  const host = createMemoryHost({ workflows: demoWorkflows });
  const api = createRunApi({
    host,
    ...(options.token ? { auth: { token: options.token } } : {}),
  });
  const headers = options.token ? { authorization: `Bearer ${options.token}` } : undefined;
  const response = await api.fetch(
    new Request("http://127.0.0.1/openapi.json", headers ? { headers } : {}),
  );
  expect(response.status).toBe(200);
  await host.close();
  return response.text();
}

async function lint(source: string) {
  const config = await createConfig({ extends: ["recommended"] });
  const problems = await lintFromString({ source, absoluteRef: "/openapi.json", config });
  return problems.map(
    (p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`,
  );
}

describe("the OpenAPI document under Redocly's recommended rules", () => {
  it("has no problem, with or without a token configured", async () => {
    expect(await lint(await servedDocument())).toEqual([]);
    expect(await lint(await servedDocument({ token: "t0ken" }))).toEqual([]);
  });

  it("is linted for real: a document with the faults the rules catch is reported", async () => {
    const doc = JSON.parse(await servedDocument());
    doc.servers = [];
    delete doc.info.license;
    const first = Object.values(doc.paths as Record<string, Record<string, object>>)[0] ?? {};
    for (const op of Object.values(first)) delete (op as { operationId?: string }).operationId;
    const rules = new Set((await lint(JSON.stringify(doc))).map((p) => p.split(":")[0]));
    expect([...rules].sort()).toEqual(
      ["warn info-license", "error no-empty-servers", "warn operation-operationId"].sort(),
    );
  });

  it("documents the 403 /health answers on a server without a token, for a foreign Host", async () => {
    const doc = JSON.parse(await servedDocument());
    expect(Object.keys(doc.paths["/health"].get.responses).sort()).toEqual(["200", "403"]);
    const host = createMemoryHost({ workflows: demoWorkflows });
    const api = createRunApi({ host });
    const refused = await api.fetch(
      new Request("http://127.0.0.1/health", { headers: { host: "rebound.example" } }),
    );
    expect(refused.status).toBe(403);
    expect((await api.fetch(new Request("http://127.0.0.1/health"))).status).toBe(200);
    await host.close();
  });
});
