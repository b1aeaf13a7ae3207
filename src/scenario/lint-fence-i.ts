// A lint for the one place the two readings of FENCE.I part ways (model option `fence-i`):
// a patching hart that stores, runs its own FENCE.I, and then asks the other harts to run
// theirs through a request that carries no fence of its own (the SBI call without
// `ordered`). Under the ifetch suite's axioms the FENCE.I orders the store before the
// request (ir3, then ir1 for the instruction that makes it); the Zifencei chapter's prose
// says the writing hart "also has to execute a data FENCE before requesting that all
// remote RISC-V harts execute a FENCE.I", which is why Linux puts `fence w,o` in
// flush_icache_all(). A protocol whose safety rests on the first reading gets a warning,
// whatever its verdict: it is judged under one reading, and the hardware may follow the other.

import { foldHartOrderings, type HartOrdering } from './hart-stores.ts';
import type { Diagnostic, ListingLine, ModelOptions, PatcherSpec, PatchStep, SourcePos, SystemSpec } from './types.ts';

const W = 1;
const O = 4;

/**
 * What the lint follows, from a patch step or an instruction of a hart's code: a store; a
 * FENCE.I; something that orders earlier stores before later requests (`fence w,o`, a
 * request that orders everything itself); a request that carries only what fenced the
 * sender's stores before it.
 */
type Ordering =
  | { readonly kind: 'store'; readonly where: string }
  | { readonly kind: 'fence.i' }
  | { readonly kind: 'orders' }
  | { readonly kind: 'request'; readonly what: string }
  | undefined;

/** Whether a FENCE orders earlier stores before later device output (an interrupt raised, an SBI call). */
const fenceOrdersOutput = (pred: number, succ: number, tso: boolean) => !tso && (pred & W) !== 0 && (succ & O) !== 0;

/**
 * A request to other harts as the lint sees it: the SBI call without `ordered`, and an IPI
 * without its `fence w,o` whose handler cannot lean on a fully ordered request, carry only
 * what fenced the sender's stores; the kernel's IPI, an ordered SBI call, stop_machine and
 * synchronize_rcu_tasks (a full barrier) order everything before them.
 */
function requestOrdering(step: PatchStep, what: string): Ordering {
  if (step.kind === 'sbi') return step.ordered ? { kind: 'orders' } : { kind: 'request', what };
  if (step.kind === 'ipi') return step.fence || (step.queue === 'ordered' && step.handler === 'request') ? { kind: 'orders' } : { kind: 'request', what };
  return undefined;
}

function stepOrdering(p: PatcherSpec, k: number): Ordering {
  const step = p.steps[k];
  switch (step.kind) {
    case 'store':
      return { kind: 'store', where: `line ${p.positions[k].line} (${step.label})` };
    case 'fence.i':
      return { kind: 'fence.i' };
    case 'fence':
      return fenceOrdersOutput(step.pred, step.succ, step.tso === true) ? { kind: 'orders' } : undefined;
    case 'stop':
    case 'restart':
    case 'rcu-tasks':
      return { kind: 'orders' };
    case 'ipi':
    case 'sbi':
      return requestOrdering(step, step.kind === 'sbi' ? 'SBI call' : 'IPI');
    default:
      return undefined;
  }
}

/** Stores not yet ordered before a request, each with whether a FENCE.I came after it. */
type Pending = ReadonlyArray<{ readonly where: string; readonly afterFenceI: boolean }>;

/**
 * One ordering event: the stores still pending after it. A request reports (through
 * `warn`) the stores that only the sender's FENCE.I orders before it.
 */
function advance(pending: Pending, o: Ordering, warn: (what: string, stores: readonly string[]) => void): Pending {
  if (!o) return pending;
  switch (o.kind) {
    case 'store':
      return [...pending, { where: o.where, afterFenceI: false }];
    case 'fence.i':
      return pending.map((x) => ({ ...x, afterFenceI: true }));
    case 'orders':
      return [];
    case 'request': {
      const carried = pending.filter((x) => x.afterFenceI);
      if (carried.length) warn(o.what, carried.map((x) => x.where));
      return pending.filter((x) => !x.afterFenceI);
    }
  }
}

function warning(pos: SourcePos, who: string, what: string, stores: readonly string[]): Diagnostic {
  return {
    pos,
    message:
      `${who}'s ${what} is ordered after its store at ${stores.join(', ')} only by its own FENCE.I: that holds under the ifetch suite's axioms (fence-i: transitive, the reading judged here) ` +
      `but not under the Zifencei chapter's prose (fence-i: fetch-only), which asks for a data FENCE before requesting remote FENCE.I`,
    hint: "put `fence w,o` before the request, as Linux's flush_icache_all() does, or judge the scenario with model: { fence-i: fetch-only }",
  };
}

/**
 * The warnings for the patching harts' steps and for the remote harts whose code makes
 * requests through service stubs (followed path by path, hart-stores.ts).
 */
export function fenceIReadingLint(system: Pick<SystemSpec, 'patchers' | 'harts' | 'regions' | 'stubs'>, listing: readonly ListingLine[], model: ModelOptions): Diagnostic[] {
  // Judged under the strict reading, the verdict already says what such a protocol is worth.
  if (model.fenceI !== 'transitive') return [];
  const out: Diagnostic[] = [];
  for (const p of system.patchers) {
    let pending: Pending = [];
    p.steps.forEach((_, k) => {
      pending = advance(pending, stepOrdering(p, k), (what, stores) => out.push(warning(p.positions[k], p.name, what, stores)));
    });
  }
  if (!system.stubs.some((st) => st.service?.kind === 'ipi' || st.service?.kind === 'sbi')) return out;
  const lineAt = (pc: bigint) => listing.find((l) => l.addr === pc && l.bits !== undefined);
  const seen = new Set<string>();
  for (const h of system.harts) {
    if (h.spare) continue;
    const fromCode = (e: HartOrdering): Ordering => {
      if (e.kind === 'store') {
        const line = lineAt(e.pc);
        return { kind: 'store', where: `line ${line?.pos.line ?? '?'} (${line?.source.trim().replace(/\s+/g, ' ') ?? 'a store'})` };
      }
      if (e.kind === 'fence.i') return { kind: 'fence.i' };
      if (e.kind === 'fence') return fenceOrdersOutput(e.pred, e.succ, e.tso) ? { kind: 'orders' } : undefined;
      const service = e.stub.service;
      return service && (service.kind === 'ipi' || service.kind === 'sbi') ? requestOrdering(service, `call of ${e.stub.name}`) : undefined;
    };
    foldHartOrderings<Pending>(
      h,
      system.regions,
      system.stubs,
      [],
      (pending, e) =>
        advance(pending, fromCode(e), (what, stores) => {
          const at = lineAt(e.pc); // the call's jump
          if (!at) return;
          const d = warning(at.pos, h.name, what, stores);
          const k = `${d.pos.file}:${d.pos.line}:${d.message}`;
          if (!seen.has(k) && seen.add(k)) out.push(d);
        }),
      (pending) => pending.map((x) => `${x.where}${x.afterFenceI ? '!' : ''}`).join(';'),
    );
  }
  return out;
}
