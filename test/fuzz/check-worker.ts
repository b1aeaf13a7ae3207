// The fuzzer's worker thread: writes each input where it was asked to and runs
// `patchlit check` on it in this thread, the command's own function with its output
// captured, then reports what came of it. A thread of its own so that an input that
// runs away (a loop, or memory past the thread's limit) can be stopped and counted
// instead of stopping the test.

import { writeFileSync } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { checkCommand } from '../../src/cli/check.ts';

export interface CheckRequest {
  readonly path: string;
  readonly text: string;
}

export interface CheckReply {
  readonly code?: number;
  readonly out: string;
  readonly err: string;
  /** The stack of an exception that escaped the command. */
  readonly threw?: string;
  readonly ms: number;
  readonly heapMb: number;
}

function sink(): { stream: never; text: () => string } {
  let text = '';
  const stream = { write: (s: string) => ((text += s), true) } as never;
  return { stream, text: () => text };
}

export function serve(port: MessagePort): void {
  port.on('message', (req: CheckRequest) => {
    writeFileSync(req.path, req.text);
    const out = sink();
    const err = sink();
    const started = performance.now();
    let code: number | undefined;
    let threw: string | undefined;
    try {
      code = checkCommand([req.path], out.stream, err.stream);
    } catch (e) {
      threw = e instanceof Error ? (e.stack ?? e.message) : String(e);
    }
    const reply: CheckReply = { ...(code !== undefined ? { code } : {}), out: out.text(), err: err.text(), ...(threw ? { threw } : {}), ms: performance.now() - started, heapMb: process.memoryUsage().heapUsed / 2 ** 20 };
    port.postMessage(reply);
  });
}
