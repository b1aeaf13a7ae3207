// Random small scenarios (fast-check), for properties that must hold of every scenario,
// such as the reduced search judging as the plain one does (reduction.test.ts). Each is a
// patching hart's few steps against one to three remote harts running a short function,
// written as scenario YAML so that a failing one can be read, saved and rerun with
// `patchlit run`:
//   - the function: register-only instructions (addi, lui, auipc, add, xor), a forward
//     branch, an AUIPC+JALR jump, a bounded loop, a call to a stub, loads and stores of a
//     data word, FENCE.I; the patcher may overwrite any of its words;
//   - the patch: stores of instructions and of data, fence w,w and rw,rw, FENCE.I, IPIs
//     (synchronous or not), the SBI call, a wait for a remote hart's store, stop_machine;
//   - the harts: callers of the function or runners of its code, some of them identical
//     (symmetry groups), with timer interrupts, preemption and a spare hart;
//   - a trap-return fixup, claims of every quantifier over ending, calls, executed, final,
//     moved and compound predicates, a table of signatures and empty recordings.
// Small enough that judging one takes tens of milliseconds.

import fc from 'fast-check';
import { FETCH_CONFIG_NAMES, type FetchConfigName } from '../../src/scenario/index.ts';

/** One instruction or a few of the function, as assembly lines (`@` stands for a fresh label). */
export type Op =
  | { kind: 'alu'; text: string }
  | { kind: 'call' }
  | { kind: 'branch' }
  | { kind: 'jalr' }
  | { kind: 'loop'; times: number }
  | { kind: 'load'; word: 0 | 1 }
  | { kind: 'store'; word: 0 | 1 }
  | { kind: 'fence.i' };

export type Step =
  | { kind: 'insn'; slot: number; insn: string }
  | { kind: 'data'; word: 0 | 1; value: number }
  | { kind: 'fence'; sets: 'w,w' | 'rw,rw' }
  | { kind: 'fence.i' }
  | { kind: 'ipi'; sync: boolean }
  | { kind: 'sbi'; completion: 'sent' | 'completed' }
  | { kind: 'wait' }
  | { kind: 'stop_machine'; slot: number; insn: string };

export interface Hart {
  readonly how: 'calls' | 'run';
  /** Identical harts (`count:`), a symmetry group when more than one. */
  readonly count: number;
  readonly timer?: { readonly count: number; readonly fenceI: boolean };
  readonly preempt?: 'true' | '{ fixups: false }' | '{ migrate: false }';
}

export interface RandomScenario {
  readonly configs: readonly FetchConfigName[];
  readonly stores: 'rvwmo' | 'sc';
  readonly fenceI: 'transitive' | 'fetch-only';
  readonly body: readonly Op[];
  readonly steps: readonly Step[];
  readonly harts: readonly Hart[];
  readonly spare: number;
  readonly fixup?: { readonly when: string; readonly resume: string; readonly on?: string };
  readonly claims: readonly string[];
  readonly table?: { readonly rows: readonly string[] };
  readonly outcomes: boolean;
}

const ALU = ['addi a0, a0, 1', 'lui a1, 0x1', 'auipc t0, 0', 'add a0, a0, a1', 'xor a1, a1, a0', 'addi a1, a0, -1'];
/** What a patch store may put in a word of the function. */
const PATCHED = ['jal t1, new_target', 'nop', 'addi a0, a0, 2', 'j .+8', 'ebreak', 'jal t1, old_target'];

export const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...ALU).map((text): Op => ({ kind: 'alu', text })) },
  { weight: 3, arbitrary: fc.constant<Op>({ kind: 'call' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'branch' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'jalr' }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }).map((times): Op => ({ kind: 'loop', times })) },
  { weight: 2, arbitrary: fc.constantFrom<0 | 1>(0, 1).map((word): Op => ({ kind: 'load', word })) },
  { weight: 2, arbitrary: fc.constantFrom<0 | 1>(0, 1).map((word): Op => ({ kind: 'store', word })) },
  { weight: 2, arbitrary: fc.constant<Op>({ kind: 'fence.i' }) },
);

/** Instructions an op assembles to. */
export const opSize = (op: Op): number => ({ alu: 1, call: 1, branch: 2, jalr: 2, loop: 3, load: 1, store: 1, 'fence.i': 1 })[op.kind];

const DATA = 0x400; // low enough for `lw a1, 0x400(zero)`: no base register to set up

/**
 * Words of the function a patch may overwrite: not a loop's (one patched may count 2^64
 * times round) nor the AUIPC that sets a JALR's base (an older one's would send it back:
 * a loop with no bound).
 */
export function patchable(body: readonly Op[]): number[] {
  const out: number[] = [];
  let k = 0;
  for (const op of body) {
    const n = opSize(op);
    if (op.kind === 'jalr') out.push(k + 1);
    else if (op.kind !== 'loop') for (let i = 0; i < n; i++) out.push(k + i);
    k += n;
  }
  return [...out, k];
}

function stepArb(slots: readonly number[]): fc.Arbitrary<Step> {
  const slot = fc.constantFrom(...slots);
  const insn = fc.constantFrom(...PATCHED);
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('insn' as const), slot, insn }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('data' as const), word: fc.constantFrom<0 | 1>(0, 1), value: fc.integer({ min: 1, max: 2 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('fence' as const), sets: fc.constantFrom('w,w' as const, 'rw,rw' as const) }) },
    { weight: 1, arbitrary: fc.constant<Step>({ kind: 'fence.i' }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('ipi' as const), sync: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('sbi' as const), completion: fc.constantFrom('sent' as const, 'completed' as const) }) },
    { weight: 1, arbitrary: fc.constant<Step>({ kind: 'wait' }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('stop_machine' as const), slot, insn }) },
  );
}

const hartArb: fc.Arbitrary<Hart> = fc
  .record({
    how: fc.constantFrom('calls' as const, 'run' as const),
    count: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constant(2) }),
    timer: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.record({ count: fc.constant(1), fenceI: fc.boolean() }) }),
    preempt: fc.constantFrom('true' as const, '{ fixups: false }' as const, '{ migrate: false }' as const),
    preempts: fc.oneof({ weight: 2, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  })
  .map(({ how, count, timer, preempt, preempts }) => ({ how, count, ...(timer ? { timer } : {}), ...(timer && preempts ? { preempt } : {}) }));

/** A predicate over the function of `words` words, as YAML flow text. */
function predicateArb(words: number, hart: string, moves: readonly string[]): fc.Arbitrary<string> {
  const slot = fc.nat(words - 1);
  const leaf = fc.oneof(
    fc.constantFrom('crash', 'complete', 'deadlock', 'no-calls', 'breakpoint', 'wild-jump', ...moves),
    fc.constantFrom('{ calls: old_target }', '{ calls: new_target }', '{ call-outside: [old_target] }'),
    fc.tuple(slot, fc.constantFrom(...PATCHED, ...ALU)).map(([k, insn]) => `{ executed: ["${insn}"], at: func+${4 * k} }`),
    fc.tuple(fc.constantFrom('a0', 'a1'), fc.nat(2)).map(([reg, v]) => `{ final: "${hart}:${reg}=${v}" }`),
    fc.tuple(fc.constantFrom('data', 'data+4'), fc.nat(2)).map(([loc, v]) => `{ final: "${loc === 'data' ? 'data' : 'flag'}=${v}" }`),
  );
  return fc.oneof(
    { weight: 6, arbitrary: leaf },
    { weight: 1, arbitrary: leaf.map((p) => `{ not: ${p} }`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('any', 'all'), leaf, leaf).map(([k, p, q]) => `{ ${k}: [${p}, ${q}] }`) },
  );
}

function claimArb(words: number, hart: string, moves: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('never', 'always', 'sometimes', 'sometimes', 'never', 'eventually'), predicateArb(words, hart, moves))
    .map(([q, p]) => `${q}: ${p}`);
}

const LETTERS = ['f', '0', '4'];
const rowArb = fc
  .tuple(fc.array(fc.constantFrom(...LETTERS), { minLength: 1, maxLength: 3 }), fc.constantFrom('old', 'new', 'none', 'impossible'))
  .map(([sig, cls]) => `${sig.join('')} -- ${cls === 'impossible' ? `impossible, would be ${sig.join('')}0 (old)` : cls}`);

/**
 * A rough measure of a scenario's state space, bounded so that judging one takes tens of
 * milliseconds: the product of each actor's steps (a task's instructions, its call and
 * return, more for an interrupt and preemption; the patching hart's steps, the ones that
 * interrupt every hart once per task), twice that with a spare hart to resume a task on.
 */
export const MAX_WORK = 16;
export function work(s: Pick<RandomScenario, 'body' | 'harts' | 'spare' | 'steps'>): number {
  const insns = s.body.reduce((k, op) => k + opSize(op), 0);
  const tasks = s.harts.reduce((n, h) => n + h.count, 0);
  const steps = s.steps.reduce((n, st) => n + (st.kind === 'ipi' || st.kind === 'sbi' || st.kind === 'stop_machine' ? tasks : 1), 0);
  const spare = s.harts.some((h) => h.preempt) ? 1 + s.spare : 1;
  return s.harts.reduce((n, h) => n * (insns + 1 + (h.timer ? 2 : 0) + (h.preempt ? 1 : 0)) ** h.count, steps + 1) * spare;
}

/** Random scenarios of at most `maxWork` (see `work`). */
export function scenarioArb(maxWork = MAX_WORK): fc.Arbitrary<RandomScenario> {
  return fc
    .integer({ min: 1, max: 3 })
    .chain((n) => fc.array(hartArb, { minLength: n, maxLength: n }))
    .filter((harts) => harts.reduce((n, h) => n + h.count, 0) <= 3 && harts.filter((h) => h.timer).length <= 1)
    .chain((harts) => fc.record({
      harts: fc.constant(harts),
      // The more tasks, the shorter the function they run.
      body: fc.array(opArb, { minLength: 1, maxLength: [4, 2, 1][harts.reduce((n, h) => n + h.count, 0) - 1] }),
      configs: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...FETCH_CONFIG_NAMES).map((c) => [c]) },
        { weight: 1, arbitrary: fc.subarray([...FETCH_CONFIG_NAMES], { minLength: 2, maxLength: 2 }) },
        // The base and a configuration that may share its search (verdict/share.ts).
        { weight: 1, arbitrary: fc.constantFrom('ir-decode-w' as const, 'ir-decode' as const, 'ir3-fetch' as const).map((c) => ['ziccif-only' as const, c]) },
      ),
      stores: fc.constantFrom('rvwmo' as const, 'rvwmo' as const, 'sc' as const),
      fenceI: fc.constantFrom('transitive' as const, 'transitive' as const, 'fetch-only' as const),
      spare: fc.nat(1),
    }))
    .chain((base) => {
      const words = base.body.reduce((n, op) => n + opSize(op), 0) + 1; // and the `ret`
      // What tasks can do that predicates may ask about (asking about what none can is an error).
      const preemptible = base.harts.filter((h) => h.preempt);
      const migrates = preemptible.some((h) => h.preempt !== '{ migrate: false }') && (base.spare > 0 || base.harts.length > 1 || preemptible.some((h) => h.count > 1));
      const moves = [...(preemptible.length ? ['preempted'] : []), ...(migrates ? ['migrated'] : [])];
      return fc
        .record({
          steps: fc.array(stepArb(patchable(base.body)), { minLength: 1, maxLength: 3 }),
          fixup: fc.option(
            fc.record({
              when: fc.constantFrom('jal t1, *', 'addi a0, a0, *', 'nop'),
              resume: fc.constantFrom('sepc - 4', 'sepc + 4'),
              on: fc.constantFrom(undefined, '[ipi]', '[timer, resume]'),
            }),
            { freq: 3, nil: undefined },
          ),
          claims: fc.array(claimArb(words, 'cpu1', moves), { minLength: 1, maxLength: 3 }),
          table: fc.option(fc.record({ rows: fc.array(rowArb, { minLength: 1, maxLength: 2 }) }), { freq: 3, nil: undefined }),
          outcomes: fc.boolean(),
        })
        .map((more): RandomScenario => ({ ...base, ...more }));
    })
    .filter((s) => work(s) <= maxWork);
}

/** The scenario's YAML; its searches stop after `states` states (incomplete). */
export function scenarioText(s: RandomScenario, states = 1500): string {
  let label = 0;
  const asm: string[] = [];
  for (const op of s.body) {
    switch (op.kind) {
      case 'alu':
        asm.push(op.text);
        break;
      case 'call':
        asm.push('jal t1, old_target');
        break;
      case 'branch': {
        const l = `L${label++}`;
        asm.push(`bnez a0, ${l}`, 'addi a1, a1, 1', `${l}:`);
        break;
      }
      case 'jalr':
        asm.push('auipc t0, 0', 'jalr zero, 8(t0)');
        break;
      case 'loop': {
        const l = `L${label++}`;
        asm.push(`li t2, ${op.times}`, `${l}: addi t2, t2, -1`, `bgtz t2, ${l}`); // entered past the li (t2 = 0), once
        break;
      }
      case 'load':
        asm.push(`lw a1, ${DATA + 4 * op.word}(zero)`);
        break;
      case 'store':
        asm.push(`sw a0, ${DATA + 4 * op.word}(zero)`);
        break;
      case 'fence.i':
        asm.push('fence.i');
        break;
    }
  }
  const insnStore = (slot: number, insn: string) => `store: { at: func+${4 * slot}, insn: "${insn}" }`;
  const step = (st: Step): string => {
    switch (st.kind) {
      case 'insn':
        return insnStore(st.slot, st.insn);
      case 'data':
        return `store: { at: ${st.word ? 'flag' : 'data'}, value: ${st.value}, size: 4 }`;
      case 'fence':
        return `fence ${st.sets}`;
      case 'fence.i':
        return 'fence.i';
      case 'ipi':
        return `ipi: { action: fence.i, sync: ${st.sync} }`;
      case 'sbi':
        return `sbi: { completion: ${st.completion} }`;
      case 'wait':
        return 'wait: { at: flag, value: 1, size: 4 }';
      case 'stop_machine':
        return `stop_machine: [{ ${insnStore(st.slot, st.insn)} }]`;
    }
  };
  const preemptible = s.harts.some((h) => h.preempt);
  const hart = (h: Hart) =>
    [
      h.how === 'calls' ? '  - calls: func' : '  - run: func\n    until: fend',
      ...(h.count > 1 ? [`    count: ${h.count}`] : []),
      ...(h.timer ? [`    timer: { count: ${h.timer.count}, fence.i: ${h.timer.fenceI} }`] : []),
      ...(h.preempt ? [`    preempt: ${h.preempt}`] : []),
    ].join('\n');
  const lines = [
    'name: random',
    `model: { fetch: [${s.configs.join(', ')}], stores: ${s.stores}, fence-i: ${s.fenceI} }`,
    `budget: { states: ${states}, seconds: 60 }`,
    'symbols:',
    '  old_target: 0x80010000',
    '  new_target: 0x80010100',
    'stubs:',
    '  old_target: { return: t1 }',
    '  new_target: { return: t1 }',
    'data:',
    `  data: { at: ${DATA}, asm: ".word 0" }`,
    `  flag: { at: ${DATA + 4}, asm: ".word 0" }`,
    'code:',
    '  func:',
    '    at: 0x80000000',
    '    asm: |',
    ...asm.map((l) => `      ${l}`),
    '      fend: ret',
    'patch:',
    ...s.steps.map((st) => `  - ${step(st)}`),
    ...(s.fixup ? ['trap-return:', `  - { when: "${s.fixup.when}", resume: ${s.fixup.resume}${s.fixup.on ? `, on: ${s.fixup.on}` : ''} }`] : []),
    'harts:',
    ...s.harts.map(hart),
    ...(s.spare && preemptible ? [`spare-harts: ${s.spare}`] : []),
    'claims:',
    ...s.claims.map((c) => `  - ${c}`),
    ...(s.table
      ? [
          'table:',
          '  alphabet:',
          '    f: fence.i',
          '    "0": { exec: func }',
          '    "4": { exec: func+4 }',
          '  classes:',
          '    old: { calls: old_target }',
          '    new: { calls: new_target }',
          '    none: no-calls',
          '  rows: |',
          ...s.table.rows.map((r) => `    ${r}`),
          '  observed:',
        ]
      : []),
    ...(s.outcomes ? ['outcomes:'] : []),
    '',
  ];
  return lines.join('\n');
}
