import { writeSync } from "node:fs";
import type { Reporter, SerializedError, TestModule, Vitest } from "vitest/node";

/**
 * Prints `N passed, N failed, N skipped` over every project as the last line of a run, the plain
 * closing line CI reads. A file that fails outside any test (an import error, a failing hook) and
 * each unhandled error count as one failure, so the line never reads clean on a red run.
 *
 * In a single run the line is written when the process exits: workerd logs its shutdown (a
 * "WebSocket peer disconnected" line) after vitest's own reporting ends.
 */
export default class SummaryReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const testModule of testModules) {
      let failedHere = 0;
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failedHere++;
        else skipped++;
      }
      if (failedHere === 0 && testModule.state() === "failed") failedHere = 1;
      failed += failedHere;
    }
    const line = `${passed} passed, ${failed} failed, ${skipped} skipped\n`;
    if (this.vitest?.config.watch) writeSync(1, line);
    else process.once("exit", () => writeSync(1, line));
  }
}
