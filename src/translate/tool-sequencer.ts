/**
 * Puts parallel tool calls in the order a sequential client dialect needs. Anthropic content blocks
 * and Responses output items are streamed one at a time (start → deltas → stop), but a chat upstream
 * may interleave its calls (`tool_calls[0]` and `[1]` opened in one chunk, then arguments for 0, then
 * for 1). One call is open at a time; a later call waits, its argument deltas buffered, until the open
 * one is finished. A call counts as finished when its arguments parse as a JSON object (valid JSON
 * cannot continue after that, except with whitespace) or when the stream ends. In the usual
 * sequential case a call opens the moment the previous one is complete, so nothing is held back.
 * Text that arrives while the open call is unfinished would have to close it and lose its remaining
 * arguments; writers hold such text back (`busy`) and send it once the call is complete.
 */

export interface SequencedCall {
  key: string;
  id: string;
  name: string;
  /** Every argument delta received so far. */
  args: string;
  /** How much of `args` the client has been sent. */
  sent: number;
}

/** What the writer does for each step, in its own dialect. */
export interface ToolSink {
  open(call: SequencedCall): void;
  delta(call: SequencedCall, delta: string): void;
  close(call: SequencedCall): void;
}

export interface ToolSequencer {
  start(key: string, id: string, name: string): void;
  args(key: string, delta: string): void;
  /** The writer opens something else (a text block): the open call, if any, is closed first. */
  closeOpen(): void;
  /** The stream is ending: close the open call, then send every waiting call whole, in order. */
  flush(): void;
  /** The call open right now. */
  readonly current: SequencedCall | undefined;
  /** A call is open and its arguments are not complete yet: closing it now would cut them. */
  readonly busy: boolean;
}

function isComplete(args: string): boolean {
  const t = args.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return false;
  try {
    const v: unknown = JSON.parse(t);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

export function createToolSequencer(sink: ToolSink): ToolSequencer {
  const calls = new Map<string, SequencedCall>();
  const waiting: SequencedCall[] = []; // started, not yet opened, in upstream order
  let current: SequencedCall | undefined;
  let closed = new Set<string>();

  const send = (c: SequencedCall) => {
    if (c.sent === c.args.length) return;
    const d = c.args.slice(c.sent);
    c.sent = c.args.length;
    sink.delta(c, d);
  };
  const close = () => {
    if (!current) return;
    sink.close(current);
    closed.add(current.key);
    current = undefined;
  };
  // Open waiting calls for as long as nothing unfinished is open.
  const advance = () => {
    while (waiting.length && (!current || isComplete(current.args))) {
      close();
      current = waiting.shift()!;
      sink.open(current);
      send(current);
    }
  };
  return {
    get current() {
      return current;
    },
    get busy() {
      return current !== undefined && !isComplete(current.args);
    },
    start(key, id, name) {
      if (calls.has(key)) return;
      const c: SequencedCall = { key, id, name, args: '', sent: 0 };
      calls.set(key, c);
      waiting.push(c);
      advance();
    },
    args(key, delta) {
      const c = calls.get(key);
      // A delta for a call already closed can only be whitespace after complete JSON (writers hold
      // text back while a call is unfinished): there is no block left to carry it.
      if (!c || closed.has(key) || delta === '') return;
      c.args += delta;
      if (c === current) send(c);
      advance();
    },
    closeOpen: close,
    flush() {
      close();
      while (waiting.length) {
        current = waiting.shift()!;
        sink.open(current);
        send(current);
        close();
      }
      closed = new Set(calls.keys());
    },
  };
}
