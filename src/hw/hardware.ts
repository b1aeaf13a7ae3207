// A judged scenario's `hardware:` histograms held against the model, after judging: each
// under the configuration that describes its machine. Where that configuration is one the
// scenario was judged under (the same fetch configuration and atomicity), its outcomes are
// those of the judgement; where it is not (QEMU's histograms are compared under parcel
// atomicity, which a scenario's claims need not be judged under), the model is judged
// under it here too: requiring the scenario to be judged so would change its claims'
// verdicts for the sake of one machine.

import { atomicityText } from '../machine/index.ts';
import type { MachineModel } from '../scenario/types.ts';
import { outcomeLines, statusOf, STATUS_ORDER, type HardwareCheck, type ScenarioResult } from '../verdict/index.ts';
import { allowedText, compareHistogram, forbiddenText, modelOutcomes } from './compare.ts';

type Config = Pick<MachineModel, 'fetch' | 'atomicity'>;

function judgedOutcomes(r: ScenarioResult, m: Config): { lines: string[]; complete: boolean } | undefined {
  if (atomicityText(m.atomicity) !== atomicityText(r.scenario.system.model.atomicity)) return undefined;
  const c = r.configs.find((x) => x.model.fetch === m.fetch);
  return c && { lines: outcomeLines(r.scenario, [c], r.symmetry), complete: c.complete };
}

/**
 * The result with its hardware checks: an outcome a machine showed that the model forbids
 * fails the scenario, unless the entry declares the machine does that (`xfail:`), when
 * showing none is the unexpected pass.
 */
export function withHardware(r: ScenarioResult): ScenarioResult {
  const runs = r.scenario.hardware;
  if (!runs?.length) return r;
  const hardware: HardwareCheck[] = runs.map((run) => {
    const comparison = compareHistogram(r.scenario, run.histogram, run.model, judgedOutcomes(r, run.model) ?? modelOutcomes(r.scenario, run.model));
    return { run, comparison, status: statusOf(comparison.forbidden.length ? 'fail' : 'pass', { check: run.xfail !== undefined }) };
  });
  const status = [r.status, ...hardware.map((h) => h.status)].sort((a, b) => STATUS_ORDER.indexOf(a) - STATUS_ORDER.indexOf(b))[0];
  return { ...r, hardware, status };
}

/** What a machine's check comes to, in one clause, for the reports; `failing` when it does not leave CI green. */
export function hardwareVerdict(h: HardwareCheck): { readonly text: string; readonly failing: boolean } {
  const c = h.comparison;
  const declared = h.run.xfail ? ` (xfail: ${h.run.xfail})` : '';
  switch (h.status) {
    case 'fail':
      return { text: `FAIL: ${forbiddenText(c.forbidden.length)}${c.modelIncomplete ? " (the model's search ran out of budget: it may not have reached them)" : ''}`, failing: true };
    case 'xfail':
      return { text: `XFAIL (expected): ${forbiddenText(c.forbidden.length)}, as declared${declared}`, failing: false };
    case 'xpass':
      return { text: `XPASS: no outcome the model forbids, though the entry declares one${declared}`, failing: true };
    default:
      return { text: allowedText(c), failing: false };
  }
}

/** The terminal's headline for a machine whose check does not pass as declared. */
export function hardwareFailure(h: HardwareCheck): string | undefined {
  if (h.status === 'fail') return `seen on ${h.run.machine}: an outcome the model forbids`;
  if (h.status === 'xpass') return `${h.run.machine} showed no outcome the model forbids, though its entry declares one (xfail)`;
  return undefined;
}
