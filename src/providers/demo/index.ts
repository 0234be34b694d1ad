/**
 * The demo provider: `startDemoServer()` serves every wire format kt speaks (OpenAI chat / responses /
 * completions / embeddings, Anthropic messages + count_tokens), JSON and SSE, with tool calls,
 * thinking, usage, faults and scripted replies. See docs/DEMO.md.
 */
export { startDemoServer } from './server.js';
export { parseFaultSpec } from './faults.js';
export type {
  DemoServer,
  DemoServerOptions,
  DemoUsage,
  FaultKind,
  FaultMatch,
  FaultPlan,
  FaultSpec,
  RecordedRequest,
  ScriptedReply,
  ScriptedToolCall,
} from './types.js';
