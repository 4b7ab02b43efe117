import {
  Annotation,
  type BaseCheckpointSaver,
  Command,
  END,
  interrupt,
  MemorySaver,
  START,
  StateGraph,
} from "@langchain/langgraph";

/** The same counter run as runlog's, in LangGraph: one superstep (and one checkpoint) per node. */
export interface LangGraphCounterOptions {
  steps: number;
  /** Call a no-op tool in its own node before each count. */
  tool?: boolean;
  /** After counting: end, or wait on an `interrupt()` again after every resume. */
  end?: "complete" | "interrupt";
  /** When given, the count node notes the time of each call here (one a superstep). */
  marks?: number[];
}

const CounterAnnotation = Annotation.Root({
  count: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
  tools: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
  resumes: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
});

type CounterValues = typeof CounterAnnotation.State;

/** A no-op tool, as a tool node would call it. */
async function noopTool(_input: number): Promise<null> {
  return null;
}

/** The counter graph, compiled with `checkpointer`. */
export function langGraphCounter(o: LangGraphCounterOptions, checkpointer: BaseCheckpointSaver) {
  const after = (s: CounterValues) =>
    s.count >= o.steps ? (o.end === "interrupt" ? "ask" : END) : o.tool ? "tool" : "inc";
  const graph = new StateGraph(CounterAnnotation)
    .addNode("inc", (s: CounterValues) => {
      o.marks?.push(performance.now());
      return { count: s.count + 1 };
    })
    .addNode("tool", async (s: CounterValues) => {
      await noopTool(s.count);
      return { tools: s.tools + 1 };
    })
    .addNode("ask", (s: CounterValues) => {
      interrupt(s.resumes);
      return { resumes: s.resumes + 1 };
    })
    .addConditionalEdges(START, after, ["inc", "tool", "ask", END])
    .addEdge("tool", "inc")
    .addConditionalEdges("inc", after, ["inc", "tool", "ask", END])
    .addEdge("ask", "ask");
  return graph.compile({ checkpointer });
}

/** A compiled counter graph. */
export type LangGraphCounter = ReturnType<typeof langGraphCounter>;

/** Options of an invoke on one thread, with a recursion limit high enough for `steps`. */
export function threadConfig(threadId: string, steps: number) {
  return { configurable: { thread_id: threadId }, recursionLimit: steps * 2 + 100 };
}

/** Runs the counter on a new thread to its end (or its first interrupt); returns the final values. */
export async function runLangGraphCounter(
  graph: LangGraphCounter,
  threadId: string,
  steps: number,
) {
  return graph.invoke({ count: 0, tools: 0, resumes: 0 }, threadConfig(threadId, steps));
}

/** Answers the interrupt the thread waits on; LangGraph runs until the next one. */
export async function resumeLangGraph(
  graph: LangGraphCounter,
  threadId: string,
  steps: number,
  value: unknown,
) {
  return graph.invoke(new Command({ resume: value }), threadConfig(threadId, steps));
}

export { MemorySaver };
