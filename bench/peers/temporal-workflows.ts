// The counter as a Temporal workflow, for the replayer only (bench/peers/temporal.ts bundles it).
import { proxyActivities } from "@temporalio/workflow";

const { noop } = proxyActivities<{ noop(): Promise<null> }>({ startToCloseTimeout: "1 minute" });

/** Counts to `steps`, calling the no-op activity before each count. */
export async function counter(steps: number): Promise<number> {
  let count = 0;
  for (let i = 0; i < steps; i++) {
    await noop();
    count += 1;
  }
  return count;
}
