// The words the program prints, taken from verdict/words.ts so that they stay in one
// place: the endings' and the final values' templates with holes the runtime fills, the
// names of addresses, and C string literals to carry them.

import type { Ending } from '../machine/types.ts';
import type { Scenario } from '../scenario/types.ts';
import { endingText, herdStates, Names, observedLocations } from '../verdict/index.ts';

/** A number as C and assembly write it in hex (an `ull` suffix where C needs one is the caller's). */
export const hex = (v: bigint) => `0x${v.toString(16)}`;

/** A C string literal: ASCII as is, anything else as octal escapes of its UTF-8 bytes. */
export function cString(text: string): string {
  let out = '"';
  for (const b of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(b);
    out += c === '"' || c === '\\' ? `\\${c}` : b >= 0x20 && b < 0x7f && c !== '?' ? c : `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out + '"';
}

/**
 * The endings' words as verdict/words.ts writes them, holes left where the runtime puts
 * what the machine saw: the wording stays in one place.
 */
export function endingTemplates(): Record<'complete' | 'illegal' | 'wild' | 'breakpoint' | 'ecall' | 'loadFault' | 'storeFault', string> {
  const PC = 1n;
  const FROM = 2n;
  const TO = 3n;
  const AT = 4n;
  const BITS = 0x7ead1e55;
  const holes = { addr: (a: bigint) => (a === PC ? '%p' : a === FROM ? '%f' : a === TO ? '%t' : a === AT ? '%a' : '?'), hart: () => '%h' } as unknown as Names;
  const text = (e: Ending) => {
    const t = endingText(e, holes);
    if (/%(?![pftxha])/.test(t.replace(/%[pftxha]/g, ''))) throw new Error(`an ending's words hold a % of their own: ${t}`);
    return t.replace(BITS.toString(16), '%x');
  };
  // The machine's load and store access faults: the model's accesses outside every region.
  const fault = (detail: string) => text({ kind: 'fault', hart: 0, task: 0, pc: PC, addr: AT, detail });
  return {
    loadFault: fault('load from unmapped address'),
    storeFault: fault('store to unmapped address'),
    complete: text({ kind: 'complete' }),
    illegal: text({ kind: 'illegal-instruction', hart: 0, task: 0, pc: PC, bits: BITS }),
    wild: text({ kind: 'wild-jump', hart: 0, task: 0, from: FROM, to: TO }),
    breakpoint: text({ kind: 'breakpoint', hart: 0, task: 0, pc: PC }),
    ecall: text({ kind: 'ecall', hart: 0, task: 0, pc: PC }),
  };
}

/**
 * The final values' words as verdict/words.ts herdStates writes them ("cpu1:a0=1;
 * cpu1:a1=0;"), cut where the values go: each location with the text before its value, in
 * herd's order, and the text after the last. The wording stays in one place.
 */
export function finalTemplates(s: Scenario): { pieces: Array<{ before: string; loc: number }>; after: string } | undefined {
  const states = herdStates(s);
  if (!states) return undefined;
  // Marks no scenario names, printed in hex (a scenario's large values) or decimal (a litmus test's).
  const MARK = 0x7ead1e5500n;
  const marks = observedLocations(s).map((_, i) => MARK + BigInt(i));
  const text = states(marks);
  const loc = new Map(marks.flatMap((m, i) => [[`0x${m.toString(16)}`, i] as const, [m.toString(), i] as const]));
  const parts = text.split(new RegExp(`(${[...loc.keys()].sort((a, b) => b.length - a.length).join('|')})`));
  const out: Array<{ before: string; loc: number }> = [];
  for (let k = 0; k + 1 < parts.length; k += 2) out.push({ before: parts[k], loc: loc.get(parts[k + 1])! });
  return { pieces: out, after: parts[parts.length - 1] };
}

/** The names the runtime may print: every 2-byte step of code (its end too), every symbol. */
export function nameTable(s: Scenario): Array<[bigint, string]> {
  const names = new Names(s);
  const addrs = new Set<bigint>(s.symbols.values());
  for (const r of s.system.regions) {
    if (r.kind !== 'code') continue;
    for (let a = r.base; a <= r.base + BigInt(r.bytes.length); a += 2n) addrs.add(a);
  }
  return [...addrs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((a) => [a, names.addr(a)]);
}
