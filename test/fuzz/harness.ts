// Runs the readers' fuzzer: mutants of the corpus, each checked by `patchlit check` in a
// worker thread (check-worker.ts) under a time limit and a heap limit, each outcome
// sorted into a class. What the command promises for every input:
//   - accepted: exit 0, and whatever it prints on standard error is a warning at file:line:col;
//   - diagnostic: exit 2, every error at file:line:col (with its source line and caret),
//     none printed twice.
// Anything else is a failure, kept with the input and the mutations that made it.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import type { CheckReply, CheckRequest } from './check-worker.ts';
import { corpus, supportFiles, type Seed } from './corpus.ts';
import { describeMutation, mutantArb, mutate, type Mutant } from './mutate.ts';

export const GOOD = ['accepted', 'diagnostic'] as const;
export const BAD = ['exception', 'exit code', 'unplaced message', 'duplicate message', 'runaway (time)', 'runaway (memory)', 'worker died'] as const;
export type OutcomeClass = (typeof GOOD)[number] | (typeof BAD)[number];

/** How long one input may take, and how much heap the thread checking it may hold. */
export const TIME_LIMIT_MS = 20_000;
export const HEAP_LIMIT_MB = 1024;

type Ran = CheckReply | { readonly runaway: 'time' | 'memory' | 'died'; readonly error?: string };

/** A worker thread that checks one input at a time, replaced when one runs away. */
class CheckThread {
  private worker!: Worker;

  constructor() {
    this.start();
  }

  private start(): void {
    this.worker = new Worker(new URL('./worker-boot.js', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: HEAP_LIMIT_MB } });
  }

  run(req: CheckRequest, timeoutMs: number): Promise<Ran> {
    const w = this.worker;
    return new Promise((resolve) => {
      const done = (r: Ran, restart: boolean) => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('error', onError);
        if (restart) {
          void w.terminate();
          this.start();
        }
        resolve(r);
      };
      const onMessage = (r: CheckReply) => done(r, false);
      const onError = (e: Error & { code?: string }) => done({ runaway: e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'died', error: e.stack ?? String(e) }, true);
      const timer = setTimeout(() => done({ runaway: 'time' }, true), timeoutMs);
      w.on('message', onMessage);
      w.on('error', onError);
      w.postMessage(req);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

const HEAD = /^(.+):(\d+):(\d+): (error|warning|note): \S/;

/** The class of what `check` did with one input, and why when it is a failure. */
export function classify(r: Ran): { outcome: OutcomeClass; why?: string } {
  if ('runaway' in r) return { outcome: r.runaway === 'time' ? 'runaway (time)' : r.runaway === 'memory' ? 'runaway (memory)' : 'worker died', ...(r.error ? { why: r.error } : {}) };
  if (r.threw) return { outcome: 'exception', why: r.threw };
  if (r.code !== 0 && r.code !== 2) return { outcome: 'exit code', why: `exit ${r.code}` };
  // Each message starts at column 1; its source line, caret and hint are indented under it.
  const heads = r.err.split('\n').filter((l) => l !== '' && !l.startsWith('  '));
  const unplaced = heads.find((l) => !HEAD.test(l));
  if (unplaced !== undefined) return { outcome: 'unplaced message', why: unplaced };
  const errors = heads.filter((l) => HEAD.exec(l)![4] === 'error');
  if (r.code === 2 && !errors.length) return { outcome: 'unplaced message', why: 'exit 2 without an error at file:line:col' };
  if (r.code === 0 && errors.length) return { outcome: 'exit code', why: `exit 0 after ${errors[0]}` };
  const seen = new Set<string>();
  for (const l of heads.filter((h) => !/: note: /.test(h))) {
    if (seen.has(l)) return { outcome: 'duplicate message', why: l };
    seen.add(l);
  }
  return { outcome: r.code === 0 ? 'accepted' : 'diagnostic' };
}

export interface Failure {
  readonly index: number;
  readonly outcome: OutcomeClass;
  readonly why?: string;
  readonly seed: string;
  readonly mutations: readonly string[];
  /** Where the input is kept. */
  readonly input: string;
}

export interface Campaign {
  readonly counts: Record<OutcomeClass, number>;
  readonly failures: readonly Failure[];
  /** The slowest inputs' times and indices. */
  readonly slowest: ReadonlyArray<{ readonly ms: number; readonly index: number; readonly seed: string }>;
  readonly seeds: number;
  /** Where the failing inputs are (removed when there are none). */
  readonly dir: string;
  /** The worker's start (loading the sources), and the time spent checking inputs. */
  readonly warmMs: number;
  readonly checkMs: number;
}

/** `numRuns` mutants from fast-check's `seed`, each checked; the counts by class and every failure. */
export async function campaign(numRuns: number, seed: number, root = process.cwd()): Promise<Campaign> {
  const seeds: Seed[] = corpus(root);
  const texts = seeds.map((s) => s.text);
  const dir = mkdtempSync(join(tmpdir(), 'patchlit-fuzz-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  for (const f of supportFiles(root)) write(f.path, f.text);
  const counts = Object.fromEntries([...GOOD, ...BAD].map((c) => [c, 0])) as Record<OutcomeClass, number>;
  const failures: Failure[] = [];
  const thread = new CheckThread();
  const times: Array<{ ms: number; index: number; seed: string }> = [];
  let warmMs = 0;
  try {
    // The thread's first check loads the sources: not an input's time.
    const warm = seeds[0];
    const warming = performance.now();
    await thread.run({ path: join(dir, warm.path.replace(/(\.\w+)$/, '.fuzz$1')), text: warm.text }, 300_000);
    warmMs = performance.now() - warming;
    const mutants: Mutant[] = fc.sample(mutantArb, { numRuns, seed });
    for (const [index, m] of mutants.entries()) {
      const s = seeds[m.seed % seeds.length];
      const text = m.mutations.reduce((t, mu) => mutate(t, mu, texts), s.text);
      // Beside the original, so that its imports resolve; under a name of its own, so that no import finds it.
      const path = join(dir, s.path.replace(/(\.\w+)$/, '.fuzz$1'));
      mkdirSync(dirname(path), { recursive: true });
      const r = await thread.run({ path, text }, TIME_LIMIT_MS);
      if ('ms' in r) times.push({ ms: r.ms, index, seed: s.path });
      const { outcome, why } = classify(r);
      counts[outcome]++;
      if ((GOOD as readonly string[]).includes(outcome)) continue;
      const input = join(dir, 'failures', `${index}${extname(s.path)}`);
      write(join('failures', `${index}${extname(s.path)}`), text);
      failures.push({ index, outcome, ...(why ? { why } : {}), seed: s.path, mutations: m.mutations.map(describeMutation), input });
    }
  } finally {
    await thread.close();
  }
  // The inputs are kept where a failure needs them, and only then.
  if (!failures.length) rmSync(dir, { recursive: true, force: true });
  const slowest = times.sort((a, b) => b.ms - a.ms).slice(0, 5);
  return { counts, failures, slowest, seeds: seeds.length, dir, warmMs, checkMs: times.reduce((a, t) => a + t.ms, 0) };
}
