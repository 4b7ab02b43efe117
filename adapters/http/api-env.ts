import type { ResumeTokenClaims } from "../../src/index.ts";

/** What the middleware leaves for the handlers: the resume token a request came with, if any. */
export interface ApiEnv {
  Variables: { grant: ResumeTokenClaims | undefined };
}
