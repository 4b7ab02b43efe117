import {
  type Action,
  ActionError,
  type Json,
  Kernel,
  MemoryEventStore,
  type Reducer,
  type StepFn,
  ValidationError,
} from "runlog";
import { ManualClock } from "runlog/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createScriptedProvider } from "../../src/llm/scripted-provider.ts";
import { createExecutor } from "../../src/tools/create-executor.ts";
import { ToolExecutor } from "../../src/tools/tool-executor.ts";
import { defineTool, ToolRegistry } from "../../src/tools/tool-registry.ts";

const search = defineTool({
  name: "search",
  description: "Searches the notes",
  input: z.object({ query: z.string().min(1), limit: z.number().int().optional() }),
  // The handler's input type comes from the zod schema.
  handler: ({ query, limit }, ctx) => ({
    hits: [`${query}#${limit ?? 1}`],
    actionId: ctx.actionId,
  }),
});

const publish = defineTool({
  name: "publish",
  description: "Publishes a post",
  input: z.object({ title: z.string(), body: z.string() }),
  parameters: { type: "object", properties: { title: { type: "string" } } },
  handler: ({ title }) => ({ url: `https://example.test/${title}` }),
  needsApproval: true,
});

const ctx = { actionId: "run:1", attempt: 0 };
const callTool = (tool: string, input: Json): Action => ({ type: "callTool", tool, input });

describe("the tool registry", () => {
  it("registers, looks up and lists tools in registration order", () => {
    const registry = new ToolRegistry([search]).register(publish);
    expect(registry.get("search")).toBe(search);
    expect(registry.get("nope")).toBeUndefined();
    expect(registry.list().map((t) => t.name)).toEqual(["search", "publish"]);
    expect(registry.names()).toEqual(["search", "publish"]);
  });

  it("rejects a second tool with the same name with a ValidationError", () => {
    expect(() => new ToolRegistry([search, search])).toThrow(ValidationError);
    const registry = new ToolRegistry([search]);
    expect(() => registry.register({ ...publish, name: "search" })).toThrow(/already registered/);
  });

  it("gives LLM specs from explicit parameters, else from the zod schema, else any object", () => {
    const bare = defineTool({
      name: "bare",
      description: "No JSON Schema to be had",
      input: { safeParse: (value: unknown) => ({ success: true as const, data: value }) },
      handler: () => null,
    });
    const specs = new ToolRegistry([search, publish, bare]).specs();
    expect(specs[0]).toEqual({
      name: "search",
      description: "Searches the notes",
      parameters: {
        type: "object",
        properties: {
          query: { type: "string", minLength: 1 },
          limit: { type: "integer", minimum: expect.any(Number), maximum: expect.any(Number) },
        },
        required: ["query"],
        additionalProperties: false,
      },
    });
    expect(specs[0]?.parameters).not.toHaveProperty("$schema");
    expect(specs[1]?.parameters).toEqual({
      type: "object",
      properties: { title: { type: "string" } },
    });
    expect(specs[2]?.parameters).toEqual({ type: "object" });
    expect(new ToolRegistry([search, publish]).specs(["publish"]).map((s) => s.name)).toEqual([
      "publish",
    ]);
  });

  it("says which tools need approval, and false for a name it does not know", () => {
    const registry = new ToolRegistry([search, publish]);
    expect(registry.needsApproval("publish")).toBe(true);
    expect(registry.needsApproval("search")).toBe(false);
    expect(registry.needsApproval("invented")).toBe(false);
  });
});

describe("the tool executor", () => {
  const executor = new ToolExecutor(new ToolRegistry([search, publish]));

  it("runs the handler on parsed input and records its JSON output", async () => {
    const result = await executor.execute(
      "run",
      callTool("search", { query: "kernels", limit: 3 }),
      ctx,
    );
    expect(result).toEqual({ type: "success", output: { hits: ["kernels#3"], actionId: "run:1" } });
  });

  it("returns invalid input as a permanent invalid_input failure with zod's message", async () => {
    const result = await executor.execute("run", callTool("search", { query: 42 }), ctx);
    expect(result).toEqual({
      type: "failure",
      error: {
        kind: "permanent",
        code: "invalid_input",
        message: "search: query: Invalid input: expected string, received number",
      },
    });
  });

  it("returns an unknown tool as a permanent unknown_tool failure", async () => {
    expect(await executor.execute("run", callTool("nope", {}), ctx)).toEqual({
      type: "failure",
      error: { kind: "permanent", message: "unknown tool nope", code: "unknown_tool" },
    });
  });

  it("lets a handler's ActionError propagate with its kind, and other errors as they are", async () => {
    const throwing = (error: unknown) =>
      new ToolExecutor(
        new ToolRegistry([
          defineTool({
            name: "t",
            description: "throws",
            input: z.null(),
            handler: () => {
              throw error;
            },
          }),
        ]),
      );
    const limited = throwing(ActionError.rateLimited("slow down", 1500));
    await expect(limited.execute("run", callTool("t", null), ctx)).rejects.toMatchObject({
      kind: "rateLimited",
      retryAfterMs: 1500,
    });
    const permanent = throwing(ActionError.permanent("gone"));
    await expect(permanent.execute("run", callTool("t", null), ctx)).rejects.toMatchObject({
      kind: "permanent",
    });
    await expect(
      throwing(new Error("boom")).execute("run", callTool("t", null), ctx),
    ).rejects.toThrow("boom");
  });

  it("turns undefined output into null and rejects output JSON cannot carry", async () => {
    const make = (value: unknown) =>
      new ToolExecutor(
        new ToolRegistry([
          defineTool({ name: "t", description: "", input: z.null(), handler: () => value as Json }),
        ]),
      );
    expect(await make(undefined).execute("run", callTool("t", null), ctx)).toEqual({
      type: "success",
      output: null,
    });
    const bad = await make({ n: Number.NaN }).execute("run", callTool("t", null), ctx);
    expect(bad).toMatchObject({
      type: "failure",
      error: { kind: "permanent", code: "invalid_output" },
    });
  });
});

describe("createExecutor", () => {
  it("sends callTool to the registry and callLLM to the named provider", async () => {
    const llm = createScriptedProvider({ script: [{ content: "hi" }] });
    const executor = createExecutor({ tools: new ToolRegistry([search]), providers: [llm] });
    expect(await executor.execute("run", callTool("search", { query: "q" }), ctx)).toMatchObject({
      type: "success",
    });
    const answer = await executor.execute(
      "run",
      {
        type: "callLLM",
        provider: "scripted",
        input: { messages: [{ role: "user", content: "hello" }] },
      },
      ctx,
    );
    expect(answer).toMatchObject({
      type: "success",
      output: { message: { content: "hi", toolCalls: [] } },
    });
  });

  it("takes providers as a record too, and fails an unknown provider or a bad request permanently", async () => {
    const executor = createExecutor({
      providers: { mine: createScriptedProvider({ script: [{}] }) },
    });
    const request = { messages: [{ role: "user", content: "x" }] };
    expect(
      await executor.execute("run", { type: "callLLM", provider: "mine", input: request }, ctx),
    ).toMatchObject({
      type: "success",
    });
    expect(
      await executor.execute("run", { type: "callLLM", provider: "other", input: request }, ctx),
    ).toEqual({
      type: "failure",
      error: { kind: "permanent", message: "unknown LLM provider other", code: "unknown_provider" },
    });
    expect(
      await executor.execute("run", { type: "callLLM", provider: "mine", input: "hi" }, ctx),
    ).toMatchObject({
      type: "failure",
      error: { kind: "permanent", code: "invalid_input" },
    });
  });

  it("rejects two providers of one name, and throws a permanent error for sleep and waitSignal", async () => {
    const p = createScriptedProvider({ script: [] });
    expect(() => createExecutor({ providers: [p, p] })).toThrow(ValidationError);
    const executor = createExecutor();
    await expect(executor.execute("run", { type: "sleep", ms: 5 }, ctx)).rejects.toMatchObject({
      kind: "permanent",
      message: expect.stringMatching(/never reach an executor/),
    });
    await expect(
      executor.execute("run", { type: "waitSignal", name: "go" }, ctx),
    ).rejects.toSatisfy(ActionError.is);
  });
});

describe("a kernel run over the executor", () => {
  type Seen = { outcomes: Json[] };
  const seen: Reducer<Seen> = {
    apply: (s, se) => {
      const e = se.event;
      if (e.type === "ActionSucceeded") return { outcomes: [...s.outcomes, { ok: e.output }] };
      if (e.type === "ActionFailed")
        return { outcomes: [...s.outcomes, { failed: { ...e.error } }] };
      return s;
    },
  };
  // Asks with bad input first; having seen the failure, asks again with good input, then completes.
  const step: StepFn<Seen> = {
    next: ({ outcomes }) => {
      if (outcomes.length === 0)
        return {
          type: "do",
          action: { type: "callTool", tool: "search", input: { query: "" }, onFailure: "continue" },
        };
      if (outcomes.length === 1)
        return {
          type: "do",
          action: { type: "callTool", tool: "search", input: { query: "fixed" } },
        };
      return { type: "complete", output: outcomes };
    },
  };

  it("records invalid tool input as a failure the step sees, and the run goes on", async () => {
    const events = new MemoryEventStore();
    const kernel = new Kernel<Seen>({
      events,
      reducer: seen,
      step,
      executor: createExecutor({ tools: new ToolRegistry([search]) }),
      clock: new ManualClock(1_700_000_000_000),
    });
    const status = await kernel.runUntilBlocked("agent", { outcomes: [] });
    const failure = {
      kind: "permanent",
      code: "invalid_input",
      message: "search: query: Too small: expected string to have >=1 characters",
    };
    expect(status).toEqual({
      type: "completed",
      output: [{ failed: failure }, { ok: { hits: ["fixed#1"], actionId: "agent:3" } }],
    });
    const log = (await events.read("agent")).map((se) => se.event);
    expect(log.map((e) => e.type)).toEqual([
      "ActionRequested",
      "ActionFailed",
      "ActionRequested",
      "ActionSucceeded",
      "Completed",
    ]);
    expect(log[1]).toEqual({ type: "ActionFailed", actionId: "agent:1", error: failure });
  });
});
