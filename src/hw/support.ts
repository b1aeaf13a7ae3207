// What `patchlit emit` can turn into a program yet, and what it cannot: a scenario that
// uses anything else is refused with a diagnostic at the scenario, never emitted wrong.

import type { Diagnostic, PatchStep, Scenario } from '../scenario/types.ts';
import { unemulated } from './handlers.ts';
import { defaultTarget, TARGETS } from './targets.ts';
import type { HwTarget } from './types.ts';

/** The most harts the runtime has room for (target/mode.h's HW_MAX_HARTS). */
export const MAX_HARTS = 8;
/** The most locks (hw.h HW_MAX_LOCKS) and trap handlers (HW_MAX_HANDLERS). */
export const MAX_LOCKS = 8;
export const MAX_HANDLERS = 8;

const STEP_FEATURES: Partial<Record<PatchStep['kind'], string>> = {
  'rcu-tasks': 'RCU tasks grace periods',
  'rcu-tasks-wait': 'RCU tasks grace periods',
};

/** The features of the scenario emit does not support on the target, in words ("preemption"). */
export function unsupportedFeatures(s: Scenario, target: HwTarget = defaultTarget(s)): string[] {
  const sys = s.system;
  const out = new Set<string>(TARGETS[target].refuses(s));
  if (sys.patchers.length > 1) out.add('more than one patching hart');
  for (const p of sys.patchers) for (const st of p.steps) if (STEP_FEATURES[st.kind]) out.add(STEP_FEATURES[st.kind]!);
  for (const what of unemulated(s)) out.add(what);
  if ((sys.traps?.length ?? 0) > MAX_HANDLERS) out.add(`more than ${MAX_HANDLERS} trap handlers`);
  if (sys.harts.some((h) => h.timer)) out.add('timer interrupts');
  if (sys.harts.some((h) => h.preempt)) out.add('preemption');
  if (sys.harts.some((h) => h.spare)) out.add('spare harts');
  if (sys.fixups.some((f) => f.on?.some((c) => c === 'timer' || c === 'resume'))) out.add('trap-return fixups on timer interrupts or resumed tasks');
  const inside = (a: bigint) => sys.regions.some((r) => a >= r.base && a < r.base + BigInt(r.bytes.length)) || sys.stubs.some((x) => x.addr === a);
  if (sys.harts.some((h) => inside(h.idleAt))) out.add('a hart that idles inside code or at a stub (until:)');
  if (sys.harts.length + 1 > MAX_HARTS) out.add(`more than ${MAX_HARTS - 1} remote harts`);
  const locks = new Set([...sys.patchers.flatMap((p) => p.steps), ...sys.stubs.flatMap((x) => (x.service ? [x.service] : []))].flatMap((st) => (st.kind === 'lock' || st.kind === 'unlock' ? [st.lock] : [])));
  if ([...locks].some((l) => l >= MAX_LOCKS)) out.add(`more than ${MAX_LOCKS} locks`);
  return [...out];
}

/** The diagnostics of a scenario emit refuses: one per feature, at the scenario's name. */
export function unsupportedDiagnostics(s: Scenario, target?: HwTarget): Diagnostic[] {
  return unsupportedFeatures(s, target).map((what) => ({
    pos: s.pos,
    message: `emit does not support ${what} yet (scenario "${s.name}")`,
    hint: 'patchlit run still judges it; README.md, "Running a scenario on QEMU and on boards", says what emit runs',
  }));
}
