// Shared by the tests: scenarios from YAML text, and what running them gives.

import { readNotebook, ScenarioError, type Scenario } from '../src/scenario/index.ts';
import { judgeScenario, type ScenarioResult } from '../src/verdict/index.ts';

export function scenario(yaml: string, file = 'test.yaml'): Scenario {
  try {
    return readNotebook(file, yaml).entries[0].scenario;
  } catch (e) {
    if (e instanceof ScenarioError) throw new Error(e.message);
    throw e;
  }
}

/** The diagnostics a bad scenario gets, as "line:col: message" strings. */
export function errors(text: string, file = 'bad.yaml'): string[] {
  try {
    readNotebook(file, text);
  } catch (e) {
    if (e instanceof ScenarioError) return e.diagnostics.map((d) => `${d.pos.line}:${d.pos.col}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
    throw e;
  }
  return [];
}

export function run(yaml: string, options: Parameters<typeof judgeScenario>[1] = {}): ScenarioResult {
  return judgeScenario(scenario(yaml), options);
}

/** The endings and calls of every outcome, as short strings, sorted. */
export function outcomes(r: ScenarioResult): string[] {
  return r.outcomes
    .map((o) => `${o.ending.kind}: ${o.harts.map((h) => h.calls.map((c) => c.stub).join('+') || '-').join(' ')}`)
    .sort();
}

/** A function `func` whose first word a patcher replaces; a remote hart calls it. */
export const PATCH_ONE_WORD = `
name: one-word
symbols:
  old_target: 0x80000800
  new_target: 0x80000900
stubs:
  old_target: { return: ra }
  new_target: { return: ra }
code:
  func:
    at: 0x80000000
    asm: |
      j old_target
insns:
  NEW: j new_target
patch:
  - store: { at: func, insn: NEW }
harts:
  - calls: func
`;
