// The judging worker's side of verdict/pool.ts: it judges one (scenario, configuration)
// unit at a time, as the main thread sends them, and sends back the configuration's
// result, its progress while it runs, or what went wrong. Everything that crosses is
// structured-cloned: the scenario and the result are plain data (bigints, Maps, Sets,
// Uint8Arrays; no class instances, no functions), so what arrives equals what was sent.
// worker-boot.js starts the thread and calls `serve`.

import type { MessagePort } from 'node:worker_threads';
import type { Progress } from '../explore/types.ts';
import { ScenarioError, type Diagnostic, type Scenario } from '../scenario/types.ts';
import { processClock } from './clock.ts';
import { judgeUnit, type JudgeOptions, type JudgePlan, type UnitResult } from './judge.ts';

/** A unit of work: the scenario under its plan's configurations `configs` (judge.ts judgeUnit), until the scenario's deadline `at` (processClock). */
export interface UnitMessage {
  readonly id: number;
  readonly scenario: Scenario;
  readonly plan: JudgePlan;
  readonly configs: readonly number[];
  readonly budget: JudgeOptions['budget'];
  readonly at: number;
}

/** An error as it crosses: a scenario's diagnostics, or a bug's name, message and stack. */
export type ErrorMessage = { readonly diagnostics: readonly Diagnostic[] } | { readonly name: string; readonly message: string; readonly stack?: string };

export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'progress'; readonly id: number; readonly progress: Progress }
  /** `seconds` the unit took, wall time; `heapUsed`: this thread's heap after it, in bytes. */
  | { readonly kind: 'done'; readonly id: number; readonly result: UnitResult; readonly seconds: number; readonly heapUsed: number }
  | { readonly kind: 'failed'; readonly id: number; readonly error: ErrorMessage };

export function errorMessage(e: unknown): ErrorMessage {
  if (e instanceof ScenarioError) return { diagnostics: e.diagnostics };
  if (e instanceof Error) return { name: e.name, message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  return { name: 'Error', message: String(e) };
}

/**
 * The error again, on the main thread: a ScenarioError as the scenario's own (printed as
 * file:line:col like any other), a bug with the worker's stack, which says where it is.
 */
export function revive(m: ErrorMessage): Error {
  if ('diagnostics' in m) return new ScenarioError(m.diagnostics);
  const e = new Error(m.message);
  e.name = m.name;
  if (m.stack) e.stack = `${m.stack}\n    (in a judging worker thread)`;
  return e;
}

/** Judges the units `port` receives, one at a time, for as long as the thread lives. */
export function serve(port: MessagePort): void {
  const send = (m: WorkerMessage) => port.postMessage(m);
  port.on('message', (m: UnitMessage) => {
    const started = processClock();
    try {
      const result = judgeUnit(m.scenario, m.plan, m.configs, { budget: m.budget, onProgress: (progress) => send({ kind: 'progress', id: m.id, progress }) }, m.at);
      // postMessage throws DataCloneError if the result held anything not cloneable: a bug, reported like one.
      send({ kind: 'done', id: m.id, result, seconds: (processClock() - started) / 1000, heapUsed: process.memoryUsage().heapUsed });
    } catch (e) {
      send({ kind: 'failed', id: m.id, error: errorMessage(e) });
    }
  });
  send({ kind: 'ready' });
}
