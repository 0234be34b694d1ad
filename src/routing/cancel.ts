/**
 * One cancellation handle per request: set when the client goes away. It is an EventEmitter with
 * `aborted`, which undici's `request({ signal })` accepts as well as an AbortSignal; one handle serves
 * every attempt, where an AbortController per request plus one per attempt (EventTarget listeners
 * tied together) cost more than the rest of the routing.
 */
import { EventEmitter } from 'node:events';

export class Cancel extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}
