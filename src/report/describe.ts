// Words for what happened: addresses by symbol, instructions as objdump prints them, and
// one line per step of a run. Every output format (Markdown, JSON, ...) describes runs
// with these, so they read the same everywhere.

import type { MachineEvent, Transition, TrapCause } from '../machine/types.ts';
import type { Scenario, SignatureTable, SourcePos } from '../scenario/types.ts';
import type { ConfigResult, Run, ScenarioResult } from '../verdict/types.ts';
import { endingText, Names } from '../verdict/words.ts';

export { Names, endingText, taskIndices, warningText } from '../verdict/words.ts';

/** The symmetry groups whose members have tasks (groups of spare harts have nothing to tell apart). */
export function taskGroups(r: ScenarioResult): ReadonlyArray<readonly number[]> {
  return r.symmetry.filter((g) => !r.scenario.system.harts[g[0]]?.spare);
}

/**
 * Where something was written, for a report about `s`: "line 12" in the scenario's own
 * file, "lib/ftrace.yaml:12" for what it imported from another.
 */
export function lineRef(pos: SourcePos, s: Scenario): string {
  return pos.file === s.pos.file ? `line ${pos.line}` : `${pos.file}:${pos.line}`;
}

/** The column a step belongs to: a patching hart first, then the remote harts. */
export function actorOf(t: Transition, names: Names): string {
  if (t.kind === 'patch') return names.patcher(t.patcher);
  if (t.kind === 'promise') {
    const harts = names.scenario.system.harts.length;
    return t.actor < harts ? names.hart(t.actor) : names.patcher(t.actor - harts);
  }
  return names.hart(t.hart);
}

const TRAP_WORDS: Readonly<Record<string, string>> = {
  ipi: 'takes the IPI',
  sbi: "takes the SBI call's interrupt",
  stop: "takes stop_machine's interrupt",
  timer: 'takes a timer interrupt',
  resume: 'resumes',
};

/**
 * Where a trap was taken, after the words for it: " (sepc func+0x4)"; the SBI call's
 * interrupt is the firmware's, taken in machine mode, so the kernel has no sepc for it
 * (and its return is the firmware's MRET): ", at func+0x4".
 */
export function trapPlace(cause: TrapCause, sepc: bigint, names: Names): string {
  return cause === 'sbi' ? `, at ${names.addr(sepc)}` : ` (sepc ${names.addr(sepc)})`;
}

/** What a step did, in one line. */
export function stepText(step: Run['steps'][number], names: Names): string {
  const parts: string[] = [];
  for (const e of step.events) {
    const text = eventText(e, names);
    if (text) parts.push(text);
  }
  return parts.join('; ');
}

function eventText(e: MachineEvent, names: Names): string | undefined {
  switch (e.kind) {
    case 'exec': {
      const text = `${names.addr(e.pc)}: ${names.insn(e.bits, e.pc)}`;
      if (e.future) return `${text}, fetched ahead of the store that writes it`;
      if (!e.stale) return text;
      const now = e.latest === undefined ? '' : `memory now holds ${names.insn(e.latest, e.pc)}`;
      // A tear is not old code: its parcels were read at moments memory never held both.
      if (e.torn) return `${text}, fetched torn (low parcel ${hex16(e.bits)}, high parcel ${hex16(e.bits >>> 16)}, read when memory never held both${now && `; ${now}`})`;
      return `${text}, fetched stale${now && ` (${now})`}`;
    }
    case 'load':
      return `reads ${valueText(e.addr, e.size, e.value, names)} from ${names.addr(e.addr)}${e.stale ? ' (stale: memory holds a newer value)' : ''}`;
    case 'fulfil':
      return 'its store takes the place it promised';
    case 'confirm':
      return `(${names.hart(e.hart)}'s early fetch of ${names.addr(e.addr)} is now in memory)`;
    case 'call':
      return `calls ${e.stub}, which returns to ${names.addr(e.returnTo)}`;
    case 'fence.i':
      return e.cause === 'instruction' ? undefined : 'fence.i'; // an instruction's own FENCE.I shows in its disassembly
    case 'trap':
      return `${TRAP_WORDS[e.cause]}${e.cause === 'sbi' ? ' in machine mode' : ''}${trapPlace(e.cause, e.sepc, names)}`;
    case 'request':
      return e.seen ? 'loads the request' : 'finds no request (the interrupt came before it was queued): no FENCE.I, no acknowledgement';
    case 'ack':
      return e.ipi.kind === 'stop' ? 'arrives' : 'acknowledges';
    case 'parked':
      return 'parks';
    case 'unparked':
      return 'leaves stop_machine';
    case 'preempted':
      return `task ${names.hart(e.task)} is preempted (it will resume at ${names.addr(e.sepc)})`;
    case 'resumed':
      return `resumes task ${names.hart(e.task)} at ${names.addr(e.sepc)}`;
    case 'handler': {
      const emulates = e.emulated ? ` emulates ${e.emulated.map((x) => names.insn(x.bits, x.pc)).join(' then ')}` : '';
      return `${e.name}${emulates}; resumes at ${names.addr(e.resume)}`;
    }
    case 'grace-period':
      return e.tasks.length
        ? `synchronize_rcu_tasks: a grace period begins; it waits for task${e.tasks.length === 1 ? '' : 's'} ${e.tasks.map((t) => names.hart(t)).join(', ')} to pass a quiescent state`
        : 'synchronize_rcu_tasks: a grace period begins; every task is quiescent, so it waits for none';
    case 'quiescent':
      return `task ${names.hart(e.task)} is quiescent${e.hart >= 0 && e.hart !== e.task ? ` (on ${names.hart(e.hart)})` : ''}: ${names.patcher(e.patcher)}'s grace period no longer waits for it`;
    case 'lock':
      return `${e.taken ? 'takes' : 'releases'} ${e.lock}`;
    case 'trap-return':
      return trapReturnText(e, names);
    case 'patch-step': {
      // Interrupting steps are told by their ipi-sent event, with the harts they reached; a grace period's beginning by its own.
      const step = names.scenario.system.patchers[e.patcher]?.steps[e.step];
      return step?.kind === 'ipi' || step?.kind === 'sbi' || step?.kind === 'stop' || step?.kind === 'rcu-tasks' ? undefined : e.label;
    }
    case 'store': {
      const text = storeText(e, names);
      return e.promised ? `promises ${text}: visible before the steps that lead to it` : text;
    }
    case 'ipi-sent': {
      const to = e.targets.map((t) => names.hart(t)).join(', ') || 'no other hart';
      const step = e.request;
      if (step.kind === 'stop') return stopBeginsText(e.targets.map((t) => names.hart(t)));
      if (step.kind === 'sbi') {
        const ordered = step.ordered ? ' (the firmware orders earlier stores)' : '';
        return `SBI remote fence.i to ${to}${ordered}; ${e.sync ? 'returns when every target has completed it' : 'returns once the request is sent'}`;
      }
      const notes = [...(step.handler === 'bare' ? ['bare handler'] : []), ...(step.fence ? [] : ['no fence w,o before it']), ...(step.queue === 'relaxed' ? ['request queued with a plain store'] : [])];
      return `IPI (fence.i) to ${to}${notes.length ? ` (${notes.join('; ')})` : ''}; ${e.sync ? 'waits for every target to complete it' : 'does not wait'}`;
    }
    case 'crash':
      return endingText(e.ending, names).toUpperCase().slice(0, 1) + endingText(e.ending, names).slice(1);
  }
}

/**
 * A return from a trap. The firmware's (MRET) is named as such; one that skipped the
 * kernel's fixups says which would have matched, and that the word is what memory holds at
 * sepc now (the return read nothing, so it is not what the hart saw).
 */
function trapReturnText(e: Extract<MachineEvent, { kind: 'trap-return' }>, names: Names): string {
  const to = names.addr(e.resume);
  if (e.fixup) return `returns (SRET) to ${to} (${e.fixup}: sepc was ${names.addr(e.sepc)})`;
  const head = e.mode === 'machine' ? `the firmware returns (MRET) to ${to}` : `returns (SRET) to ${to}`;
  if (!e.skipped) return head;
  const skip = e.mode === 'machine' ? "the kernel's fixups do not run" : "the resumed task's path skips the fixups";
  return `${head}; ${skip} (${e.skipped.fixup} would match ${names.insn(e.skipped.word, e.sepc)}, which memory holds there now)`;
}

const hex16 = (v: number) => `0x${(v & 0xffff).toString(16).padStart(4, '0')}`;

/**
 * stop_machine's beginning: it wakes each other CPU's stopper thread, which parks the CPU
 * once its task can be scheduled out, and waits until every one has.
 */
function stopBeginsText(targets: readonly string[]): string {
  if (!targets.length) return 'stop_machine begins: no other hart to park';
  if (targets.length === 1) return `stop_machine begins: wakes ${targets[0]}'s stopper thread to park it; waits until it has parked`;
  const all = targets.length === 2 ? 'both' : `all ${targets.length}`;
  return `stop_machine begins: wakes the stopper threads of ${targets.slice(0, -1).join(', ')} and ${targets.at(-1)} to park them; waits until ${all} have parked`;
}

function storeText(e: Extract<MachineEvent, { kind: 'store' }>, names: Names): string {
  return `${names.addr(e.addr)} := ${valueText(e.addr, e.size, e.value, names)}`;
}

/** A value in memory: an instruction where code is, else hex. */
function valueText(addr: bigint, size: number, value: bigint, names: Names): string {
  const code = names.scenario.system.regions.find((r) => r.kind === 'code' && addr >= r.base && addr < r.base + BigInt(r.bytes.length));
  if (code && (size === 2 || size === 4)) return names.insn(Number(value), addr);
  return `0x${value.toString(16)}`;
}

/** Why a search stopped before it had seen every run. */
export function stopText(c: ConfigResult): string {
  switch (c.stopped) {
    case 'time':
      return 'the search stopped at its time budget';
    case 'states':
      return 'the search stopped at its state budget';
    case 'certification':
      return 'a promise could not be certified within its search budget';
    case 'speculation':
      return 'speculative fetches kept finding new values';
    default:
      return '';
  }
}

const steps = (n: number) => `${n} step${n === 1 ? '' : 's'}`;

/** A run in a few words: its length and how it ends, or its prefix and the loop it repeats. */
export function runSummary(run: Run, names: Names, sep = ', '): string {
  if (run.loopFrom !== undefined) return `a run that never ends: ${steps(run.loopFrom)}, then a loop of ${steps(run.steps.length - run.loopFrom)} repeated forever`;
  return `${steps(run.steps.length)}${sep}ending: ${run.ending ? endingText(run.ending, names) : 'none'}`;
}

/** Runs that read the same, step for step. */
export function runKey(run: Run, names: Names): string {
  return run.steps.map((st) => `${actorOf(st.transition, names)}:${stepText(st, names)}`).join('\n') + `@${run.loopFrom ?? ''}`;
}

/** Identical runs under several configurations, shown once naming them all; in the order they first appear. */
export function sameRuns(items: ReadonlyArray<{ config: ConfigResult; run: Run }>, names: Names): Array<{ configs: ConfigResult[]; run: Run }> {
  const out = new Map<string, { configs: ConfigResult[]; run: Run }>();
  for (const it of items) {
    const key = runKey(it.run, names);
    const same = out.get(key);
    if (same) same.configs.push(it.config);
    else out.set(key, { configs: [it.config], run: it.run });
  }
  return [...out.values()];
}

/** The table's alphabet in words, each letter as the format writes it: "f: a FENCE.I, 0: executes func". */
export function letterText(t: SignatureTable, names: Names, letter: (l: string) => string): string {
  return t.alphabet
    .map((l) => {
      if (l.event.kind === 'fence.i') return `${letter(l.letter)} a FENCE.I`;
      const after = l.event.after !== undefined ? ` right after ${names.addr(l.event.after)}` : '';
      return `${letter(l.letter)} executes ${names.addr(l.event.at)}${after}`;
    })
    .join(', ');
}
