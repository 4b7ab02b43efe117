/**
 * runlog/demos: the built-in demo workflows (`demo.approval`, `demo.sleep`, `demo.signal`,
 * `demo.agent`), their tools, the scripted agent's script and an executor that runs them all
 * offline. The docs, apps and tests use them; a host loads them only when asked.
 *
 * ```ts
 * const host = createMemoryHost({ workflows: demoWorkflows, executor: demoExecutor() });
 * const { runId } = await host.start("demo.approval", { text: "Ship it" });
 * ```
 */

export { demoAgentScript } from "../llm/demo-agent-script.ts";
export { demoTools, echoTool, publishTool, searchTool } from "./demo-tools.ts";
export {
  agentDemo,
  approvalDemo,
  demoExecutor,
  demoProvider,
  demoWorkflows,
  signalDemo,
  sleepDemo,
} from "./demo-workflows.ts";
