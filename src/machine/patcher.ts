// A patching hart's steps. Its program is the scenario's patch steps; it fetches no patched
// code, so its FENCE.I changes nothing it could observe, and its only loads are the
// acknowledgements of synchronous IPIs (acquires, the kernel's csd_lock_wait).

import { appendStore, Draft, editHart, type Core, type Successor } from './core.ts';
import type { MachineState, PatcherState, WriteChoice } from './types.ts';
import { afterFence, afterWrite, cohOf, releaseView } from './views.ts';

/** Every step patching hart `p` can take in `s` (one per place its store can take). */
export function patcherSuccessors(core: Core, s: MachineState, p: number, out: Successor[]): void {
  const ps = s.patchers[p];
  const spec = core.program.patchers[p];
  if (ps.waiting !== 0 || ps.step >= spec.steps.length) return;
  const step = spec.steps[ps.step];
  const actor = core.program.harts.length + p;
  const draft = () => {
    const d = new Draft(s);
    d.events.push({ kind: 'patch-step', patcher: p, step: ps.step, label: step.label });
    return d;
  };
  const next = (d: Draft, changes: Partial<PatcherState>) => d.setPatcher(p, { ...d.patchers[p], step: ps.step + 1, ...changes });
  switch (step.kind) {
    case 'store': {
      const at = core.layout.offset(step.addr, step.size);
      if (at === undefined) throw new Error(`patch step stores to unmapped address 0x${step.addr.toString(16)}`);
      const vpre = Math.max(ps.mem.v.wNew, ps.mem.v.cap);
      const choices: WriteChoice[] = [{ kind: 'fresh' }];
      if (core.model.stores === 'rvwmo') {
        const floor = Math.max(vpre, cohOf(ps.mem, at, step.size));
        for (const t of ps.mem.promises) {
          const m = s.timeline[t - 1];
          if (m.at === at && m.size === step.size && m.value === step.value && floor < t) choices.push({ kind: 'fulfil', time: t });
        }
      }
      for (const c of choices) {
        const d = draft();
        let t: number;
        if (c.kind === 'fresh') {
          t = appendStore(core, d, actor, at, step.size, step.value, `p${p}.${ps.step}`);
          d.events.push({ kind: 'store', patcher: p, addr: step.addr, size: step.size, value: step.value, time: t });
        } else {
          t = c.time;
          d.events.push({ kind: 'fulfil', patcher: p, time: t });
        }
        next(d, { mem: afterWrite(ps.mem, at, step.size, t, 0, 0, false, false) });
        out.push(d.freeze({ kind: 'patch', patcher: p, store: c }));
      }
      return;
    }
    case 'fence': {
      const d = draft();
      next(d, { mem: afterFence(ps.mem, step.pred, step.succ, false) });
      out.push(d.freeze({ kind: 'patch', patcher: p }));
      return;
    }
    case 'fence.i': {
      const d = draft();
      next(d, {});
      out.push(d.freeze({ kind: 'patch', patcher: p }));
      return;
    }
    case 'ipi': {
      // The kernel queues the request with a fully ordered atomic before it interrupts:
      // the request carries everything the sender did before (a release).
      const d = draft();
      const view = releaseView(ps.mem);
      for (const t of step.targets) {
        const h = d.harts[t];
        d.setHart(t, editHart(h, { pending: [...h.pending, { patcher: p, step: ps.step, view }] }));
      }
      d.events.push({ kind: 'ipi-sent', patcher: p, targets: step.targets, sync: step.sync });
      next(d, step.sync ? { waiting: step.targets.reduce((m, t) => m | (1 << t), 0) } : {});
      out.push(d.freeze({ kind: 'patch', patcher: p }));
      return;
    }
  }
}
