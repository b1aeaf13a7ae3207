// The observer a scenario's claims and table need: it folds each step's events into what
// every remote hart has shown (calls, signature letters, executed instructions and
// pairs), and nothing more, so that runs differing only in what nobody asked about still
// merge in the search.

import type { Observer } from '../explore/types.ts';
import type { MachineEvent } from '../machine/types.ts';
import type { Predicate, Scenario } from '../scenario/types.ts';
import type { HartObservation } from './types.ts';

interface HartObs extends HartObservation {
  /** Cache: interned number of this observation (not part of it). */
  id?: number;
  /** Bit i: the last instruction this hart executed was the first of executed-pair i. */
  readonly pending: number;
  /** The last executed pc, kept only where a letter's `after` needs it. */
  readonly lastPc: bigint | undefined;
}

export interface Observation {
  readonly harts: readonly HartObs[];
}

type ExecutedPredicate = Extract<Predicate, { kind: 'executed' }>;

/** Every `executed` predicate of the claims and the table's classes, numbered. */
export function executedPredicates(scenario: Scenario): ExecutedPredicate[] {
  const out: ExecutedPredicate[] = [];
  const walk = (p: Predicate) => {
    if (p.kind === 'executed') out.push(p);
    else if (p.kind === 'not') walk(p.arg);
    else if (p.kind === 'all' || p.kind === 'any') p.args.forEach(walk);
  };
  scenario.claims.forEach((c) => walk(c.predicate));
  scenario.table?.classes.forEach((c) => walk(c.predicate));
  if (out.length > 31) throw new Error('at most 31 "executed" predicates per scenario');
  return out;
}

export function scenarioObserver(scenario: Scenario, executed: readonly ExecutedPredicate[]): Observer<Observation, MachineEvent> {
  const table = scenario.table;
  const signed = new Set(table?.harts ?? []);
  const letters = [...(table?.alphabet ?? [])].sort((a, b) => Number(b.event.kind === 'exec' && b.event.after !== undefined) - Number(a.event.kind === 'exec' && a.event.after !== undefined));
  const fenceLetter = letters.find((l) => l.event.kind === 'fence.i')?.letter;
  const afterAddrs = new Set(letters.flatMap((l) => (l.event.kind === 'exec' && l.event.after !== undefined ? [l.event.after] : [])));

  const initialHart: HartObs = { calls: [], signature: '', executed: 0, pending: 0, lastPc: undefined };
  const ids = new Map<string, number>();
  const hartId = (h: HartObs): number => {
    if (h.id !== undefined) return h.id;
    const k = `${h.calls.map((c) => `${c.stub}@${c.site.toString(16)}`).join(',')}/${h.signature}/${h.executed}/${h.pending}/${h.lastPc?.toString(16) ?? ''}`;
    let id = ids.get(k);
    if (id === undefined) ids.set(k, (id = ids.size));
    h.id = id;
    return id;
  };

  const onExec = (h: HartObs, signs: boolean, pc: bigint, bits: number): HartObs => {
    let signature = h.signature;
    if (signs) {
      const letter = letters.find((l) => l.event.kind === 'exec' && l.event.at === pc && (l.event.after === undefined || l.event.after === h.lastPc));
      if (letter) signature += letter.letter;
    }
    let done = h.executed;
    let pending = 0;
    for (let i = 0; i < executed.length; i++) {
      const p = executed[i];
      const bit = 1 << i;
      const first = p.insns[0];
      const second = p.insns[1];
      if (second === undefined) {
        if (pc === p.at && bits === first.bits) done |= bit;
        continue;
      }
      if (h.pending & bit && pc === p.at + BigInt(first.length) && bits === second.bits) done |= bit;
      if (pc === p.at && bits === first.bits) pending |= bit;
    }
    const lastPc = afterAddrs.has(pc) ? pc : undefined;
    // Most instructions change nothing observed: keep the object, and with it the cached key.
    if (signature === h.signature && done === h.executed && pending === h.pending && lastPc === h.lastPc) return h;
    return { ...h, signature, executed: done, pending, lastPc, id: undefined };
  };

  return {
    initial: { harts: scenario.system.harts.map(() => initialHart) },
    observe(o: Observation, events: readonly MachineEvent[]): Observation {
      let harts: HartObs[] | undefined;
      for (const e of events) {
        if (e.kind !== 'exec' && e.kind !== 'call' && e.kind !== 'fence.i') continue;
        const h = (harts ?? o.harts)[e.hart];
        let next = h;
        if (e.kind === 'exec') next = onExec(h, signed.has(e.hart), e.pc, e.bits);
        else if (e.kind === 'call') next = { ...h, calls: [...h.calls, { stub: e.stub, site: e.site }], id: undefined };
        else if (fenceLetter && signed.has(e.hart)) next = { ...h, signature: h.signature + fenceLetter, id: undefined };
        if (next !== h) (harts ??= o.harts.slice())[e.hart] = next;
      }
      return harts ? { harts } : o;
    },
    key(o: Observation): string {
      let k = '';
      for (const h of o.harts) k += hartId(h) + ',';
      return k;
    },
    actorKeys(o: Observation): number[] {
      return o.harts.map(hartId);
    },
  };
}
