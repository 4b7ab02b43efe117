// The workflow behind test/fixtures/golden-approval.ndjson. Changing it is a breaking change:
// the golden log must keep replaying and verifying with it in every runtime.
import type { Json, Next, Reducer, StepContext, StepFn } from "runlog";

export interface GoldenState {
  text: string;
  echoed?: Json;
  pick?: number;
  answer?: Json;
}

export const goldenInitial: GoldenState = { text: "ship the release notes" };

export const goldenReducer: Reducer<GoldenState> = {
  apply(state, se) {
    const e = se.event;
    switch (e.type) {
      case "StateUpdated":
        return { ...state, ...(e.payload as object) };
      case "ActionSucceeded":
        return state.echoed === undefined ? { ...state, echoed: e.output } : state;
      case "Resumed":
        return { ...state, answer: e.value };
      default:
        return state;
    }
  },
};

export const goldenStep: StepFn<GoldenState> = {
  next(state: GoldenState, ctx: StepContext): Next {
    if (state.echoed === undefined)
      return {
        type: "do",
        action: { type: "callTool", tool: "echo", input: { text: state.text } },
      };
    if (state.pick === undefined) {
      return {
        type: "emit",
        events: [
          {
            type: "StateUpdated",
            stepId: "pick",
            payload: { pick: Math.floor(ctx.random() * 1000) },
          },
        ],
      };
    }
    if (state.answer === undefined)
      return { type: "interrupt", value: { question: "Publish?", draft: state.echoed } };
    return {
      type: "complete",
      output: {
        approved: (state.answer as { approved?: boolean }).approved === true,
        text: state.text,
      },
    };
  },
};
