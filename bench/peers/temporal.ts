import { fileURLToPath } from "node:url";
import { historyFromJSON } from "@temporalio/common/lib/proto-utils.js";
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundle,
} from "@temporalio/worker";

const WORKFLOWS = fileURLToPath(new URL("./temporal-workflows.ts", import.meta.url));
let runtimeInstalled = false;

/** Bundles the counter workflow (webpack + swc, once) with Temporal's logging turned down. */
export async function temporalBundle(): Promise<WorkflowBundle> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger("WARN") });
    runtimeInstalled = true;
  }
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS, logger: new DefaultLogger("WARN") });
}

/**
 * The history a Temporal server would record for `counter(steps)`: started, then per step a
 * workflow task (scheduled, started, completed) and an activity (scheduled, started, completed),
 * then completed. 6 events a step.
 */
export function counterHistory(steps: number) {
  const events: Record<string, unknown>[] = [];
  const time = "2026-01-01T00:00:00Z";
  const push = (eventType: string, key: string, attributes: Record<string, unknown>) => {
    events.push({
      eventId: String(events.length + 1),
      eventTime: time,
      eventType: `EVENT_TYPE_${eventType}`,
      [key]: attributes,
    });
    return String(events.length);
  };
  const json = (value: unknown) => ({
    metadata: { encoding: Buffer.from("json/plain").toString("base64") },
    data: Buffer.from(JSON.stringify(value)).toString("base64"),
  });
  const queue = { name: "bench" };
  push("WORKFLOW_EXECUTION_STARTED", "workflowExecutionStartedEventAttributes", {
    workflowType: { name: "counter" },
    taskQueue: queue,
    input: { payloads: [json(steps)] },
    workflowTaskTimeout: "10s",
    originalExecutionRunId: "run",
    firstExecutionRunId: "run",
    attempt: 1,
    identity: "bench",
  });
  let completed = "";
  const workflowTask = () => {
    const scheduled = push("WORKFLOW_TASK_SCHEDULED", "workflowTaskScheduledEventAttributes", {
      taskQueue: queue,
      startToCloseTimeout: "10s",
      attempt: 1,
    });
    const started = push("WORKFLOW_TASK_STARTED", "workflowTaskStartedEventAttributes", {
      scheduledEventId: scheduled,
      identity: "bench",
      requestId: "r",
    });
    completed = push("WORKFLOW_TASK_COMPLETED", "workflowTaskCompletedEventAttributes", {
      scheduledEventId: scheduled,
      startedEventId: started,
      identity: "bench",
    });
  };
  workflowTask();
  for (let i = 1; i <= steps; i++) {
    const scheduled = push("ACTIVITY_TASK_SCHEDULED", "activityTaskScheduledEventAttributes", {
      activityId: String(i),
      activityType: { name: "noop" },
      taskQueue: queue,
      startToCloseTimeout: "60s",
      workflowTaskCompletedEventId: completed,
    });
    const started = push("ACTIVITY_TASK_STARTED", "activityTaskStartedEventAttributes", {
      scheduledEventId: scheduled,
      identity: "bench",
      requestId: "r",
      attempt: 1,
    });
    push("ACTIVITY_TASK_COMPLETED", "activityTaskCompletedEventAttributes", {
      scheduledEventId: scheduled,
      startedEventId: started,
      identity: "bench",
      result: { payloads: [json(null)] },
    });
    workflowTask();
  }
  push("WORKFLOW_EXECUTION_COMPLETED", "workflowExecutionCompletedEventAttributes", {
    result: { payloads: [json(steps)] },
    workflowTaskCompletedEventId: completed,
  });
  return historyFromJSON({ events });
}

/** Replays a history with Temporal's replay worker; throws on nondeterminism. */
export async function replayTemporal(
  bundle: WorkflowBundle,
  history: ReturnType<typeof counterHistory>,
  id: string,
): Promise<void> {
  await Worker.runReplayHistory({ workflowBundle: bundle }, history, id);
}
