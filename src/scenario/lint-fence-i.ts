// A lint for the one place the two readings of FENCE.I part ways (model option `fence-i`):
// a patching hart that stores, runs its own FENCE.I, and then asks the other harts to run
// theirs through a request that carries no fence of its own (the SBI call without
// `ordered`). Under the ifetch suite's axioms the FENCE.I orders the store before the
// request (ir3, then ir1 for the instruction that makes it); the Zifencei chapter's prose
// says the writing hart "also has to execute a data FENCE before requesting that all
// remote RISC-V harts execute a FENCE.I", which is why Linux puts `fence w,o` in
// flush_icache_all(). A protocol whose safety rests on the first reading gets a warning,
// whatever its verdict: it is judged under one reading, and the hardware may follow the other.

import type { Diagnostic, ModelOptions, PatcherSpec, PatchStep } from './types.ts';

const W = 1;
const O = 4;

/** Whether a FENCE orders earlier stores before later device output (an interrupt raised, an SBI call). */
function ordersStoresBeforeOutput(step: PatchStep): boolean {
  return step.kind === 'fence' && !step.tso && (step.pred & W) !== 0 && (step.succ & O) !== 0;
}

/** A request to other harts that brings no ordering of its own: only what fenced the sender's stores before it carries them. */
function unorderedRequest(step: PatchStep): boolean {
  return step.kind === 'sbi' && !step.ordered;
}

/**
 * Requests that order everything before them themselves (the kernel's IPI queues with a
 * fully ordered atomic, stop_machine), and synchronize_rcu_tasks, a full memory barrier.
 */
function orderedRequest(step: PatchStep): boolean {
  return step.kind === 'ipi' || (step.kind === 'sbi' && step.ordered) || step.kind === 'stop' || step.kind === 'restart' || step.kind === 'rcu-tasks';
}

export function fenceIReadingLint(patchers: readonly PatcherSpec[], model: ModelOptions): Diagnostic[] {
  // Judged under the strict reading, the verdict already says what such a protocol is worth.
  if (model.fenceI !== 'transitive') return [];
  const out: Diagnostic[] = [];
  for (const p of patchers) {
    // Stores not yet ordered before output, and whether a FENCE.I came after each.
    let pending: Array<{ step: number; afterFenceI: boolean }> = [];
    p.steps.forEach((step, k) => {
      if (step.kind === 'store') pending.push({ step: k, afterFenceI: false });
      else if (step.kind === 'fence.i') pending = pending.map((x) => ({ ...x, afterFenceI: true }));
      else if (ordersStoresBeforeOutput(step) || orderedRequest(step)) pending = [];
      else if (unorderedRequest(step)) {
        const carried = pending.filter((x) => x.afterFenceI);
        if (carried.length) {
          const lines = carried.map((x) => `line ${p.positions[x.step].line} (${p.steps[x.step].label})`).join(', ');
          out.push({
            pos: p.positions[k],
            message:
              `${p.name}'s SBI call is ordered after its store at ${lines} only by its own FENCE.I: that holds under the ifetch suite's axioms (fence-i: transitive, the reading judged here) ` +
              `but not under the Zifencei chapter's prose (fence-i: fetch-only), which asks for a data FENCE before requesting remote FENCE.I`,
            hint: 'put `fence w,o` before the call, as Linux\'s flush_icache_all() does, or judge the scenario with model: { fence-i: fetch-only }',
          });
        }
        pending = pending.filter((x) => !x.afterFenceI);
      }
    });
  }
  return out;
}
