// Small SystemSpecs written inline for the oracle's own tests: each thread's code
// assembled at its own origin, data locations in one region, registers by ABI name.

import { Assembly, registerNumber } from '../../src/isa/index.ts';
import type { FinalLocation, Region, RemoteHartSpec, SystemSpec } from '../../src/scenario/types.ts';

export const DATA = 0x8000n;
const SLOT = 8;

export interface ThreadSpec {
  readonly code: string;
  /** Initial registers by ABI name: a number, or the name of a data location (its address). */
  readonly regs?: Readonly<Record<string, number | bigint | string>>;
}

export interface Built {
  readonly system: SystemSpec;
  /** Data location name → address. */
  readonly addr: (name: string) => bigint;
  /** Where a final-state string reads: `0:s0`, `x` (4 bytes). */
  readonly loc: (text: string) => FinalLocation;
}

/** `threads[k]` runs at 0x1000 * (k + 1); `data` names 8-byte slots from DATA with initial values. */
export function build(threads: readonly ThreadSpec[], data: Readonly<Record<string, number>> = {}): Built {
  const names = Object.keys(data);
  const addr = (name: string) => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`no location ${name}`);
    return DATA + BigInt(i * SLOT);
  };
  const regions: Region[] = [];
  const harts: RemoteHartSpec[] = [];
  threads.forEach((t, k) => {
    const origin = 0x1000n * BigInt(k + 1);
    const r = new Assembly(t.code, origin, { rvc: false }).layout(() => undefined).encode(() => undefined);
    if (r.diagnostics.length) throw new Error(`P${k}: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    regions.push({ name: `P${k}`, base: origin, bytes: r.bytes, kind: 'code' });
    const regs = new Map<number, bigint>();
    for (const [name, v] of Object.entries(t.regs ?? {})) {
      const n = registerNumber(name);
      if (n === undefined) throw new Error(`no register ${name}`);
      regs.set(n, typeof v === 'string' ? addr(v) : BigInt(v));
    }
    harts.push({ name: `P${k}`, start: origin, idleAt: origin + BigInt(r.bytes.length), ipiWhileRunning: false, regs });
  });
  if (names.length) {
    const bytes = new Uint8Array(names.length * SLOT);
    names.forEach((n, i) => {
      let v = BigInt(data[n]);
      for (let b = 0; b < SLOT; b++, v >>= 8n) bytes[i * SLOT + b] = Number(v & 0xffn);
    });
    regions.push({ name: 'data', base: DATA, bytes, kind: 'data' });
  }
  const system: SystemSpec = {
    regions,
    stubs: [],
    harts,
    patchers: [],
    fixups: [],
    model: { fetch: ['ziccif-only'], stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' },
  };
  const loc = (text: string): FinalLocation => {
    const m = /^(\d+):(\w+)$/.exec(text);
    if (m) return { kind: 'reg', hart: Number(m[1]), reg: registerNumber(m[2])!, name: text };
    return { kind: 'mem', addr: addr(text), size: 4, name: text };
  };
  return { system, addr, loc };
}
