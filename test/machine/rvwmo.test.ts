// Data memory: the classic RVWMO shapes, each allowed or forbidden as the RISC-V memory
// model says, and sequential consistency (stores: sc) forbidding every relaxed one.

import { describe, expect, it } from 'vitest';
import { allowed, litmus } from '../helpers.ts';

/** A two- or three-hart test over locations x, y (and z), with its `exists` condition. */
function test(name: string, cols: string[][], cond: string, init = ''): string {
  const harts = cols.length;
  const setup = Array.from({ length: harts }, (_, h) => `${h}:a0=x; ${h}:a1=y; ${h}:a2=z; ${h}:t1=1; ${h}:t2=2;`).join(' ');
  const rows = Math.max(...cols.map((c) => c.length));
  const lines = [cols.map((_, h) => `P${h}`.padEnd(24)).join('| ') + ';'];
  for (let i = 0; i < rows; i++) lines.push(cols.map((c) => (c[i] ?? '').padEnd(24)).join('| ') + ';');
  return `RISCV ${name}\n{ ${setup} ${init} }\n${lines.join('\n')}\nexists (${cond})\n`;
}

const CASES: Array<{ name: string; text: string; rvwmo: boolean; why: string }> = [
  {
    name: 'SB',
    text: test('SB', [['sw t1,0(a0)', 'lw s0,0(a1)'], ['sw t1,0(a1)', 'lw s0,0(a0)']], '0:s0=0 /\\ 1:s0=0'),
    rvwmo: true,
    why: 'a store may wait in the store buffer while a later load reads memory',
  },
  {
    name: 'SB+fence.rw.rws',
    text: test('SB+fences', [['sw t1,0(a0)', 'fence rw,rw', 'lw s0,0(a1)'], ['sw t1,0(a1)', 'fence rw,rw', 'lw s0,0(a0)']], '0:s0=0 /\\ 1:s0=0'),
    rvwmo: false,
    why: 'fence w,r drains the store first',
  },
  {
    name: 'MP',
    text: test('MP', [['sw t1,0(a0)', 'sw t1,0(a1)'], ['lw s0,0(a1)', 'lw s1,0(a0)']], '1:s0=1 /\\ 1:s1=0'),
    rvwmo: true,
    why: 'stores to different addresses, and loads, may be reordered',
  },
  {
    name: 'MP+fence.w.w+fence.r.r',
    text: test('MP+fences', [['sw t1,0(a0)', 'fence w,w', 'sw t1,0(a1)'], ['lw s0,0(a1)', 'fence r,r', 'lw s1,0(a0)']], '1:s0=1 /\\ 1:s1=0'),
    rvwmo: false,
    why: 'both sides ordered',
  },
  {
    name: 'MP+fence.w.w+addr',
    text: test('MP+addr', [['sw t1,0(a0)', 'fence w,w', 'sw t1,0(a1)'], ['lw s0,0(a1)', 'xor t3,s0,s0', 'add a3,a0,t3', 'lw s1,0(a3)']], '1:s0=1 /\\ 1:s1=0'),
    rvwmo: false,
    why: 'an address dependency orders the loads (ppo 9)',
  },
  {
    name: 'LB',
    text: test('LB', [['lw s0,0(a0)', 'sw t1,0(a1)'], ['lw s0,0(a1)', 'sw t1,0(a0)']], '0:s0=1 /\\ 1:s0=1'),
    rvwmo: true,
    why: 'a store may become visible before an earlier load (a promise)',
  },
  {
    name: 'LB+datas',
    text: test('LB+datas', [['lw s0,0(a0)', 'sw s0,0(a1)'], ['lw s0,0(a1)', 'sw s0,0(a0)']], '0:s0=1 /\\ 1:s0=1'),
    rvwmo: false,
    why: 'no value out of thin air: each store needs the other load first',
  },
  {
    name: 'LB+ctrls',
    text: test('LB+ctrls', [['lw s0,0(a0)', 'beqz s0, L0', 'L0: sw t1,0(a1)'], ['lw s0,0(a1)', 'beqz s0, L1', 'L1: sw t1,0(a0)']], '0:s0=1 /\\ 1:s0=1'),
    rvwmo: false,
    why: 'a store after a branch on a load waits for it (ppo 11)',
  },
  {
    name: '2+2W',
    text: test('2+2W', [['sw t1,0(a0)', 'sw t2,0(a1)'], ['sw t1,0(a1)', 'sw t2,0(a0)']], 'x=1 /\\ y=1'),
    rvwmo: true,
    why: 'stores to different addresses may be reordered',
  },
  {
    name: 'CoRR',
    text: test('CoRR', [['sw t1,0(a0)'], ['lw s0,0(a0)', 'lw s1,0(a0)']], '1:s0=1 /\\ 1:s1=0'),
    rvwmo: false,
    why: 'loads of one address see its stores in one order',
  },
  {
    name: 'IRIW+fence.r.rs',
    text: test(
      'IRIW+fences',
      [['sw t1,0(a0)'], ['sw t1,0(a1)'], ['lw s0,0(a0)', 'fence r,r', 'lw s1,0(a1)'], ['lw s0,0(a1)', 'fence r,r', 'lw s1,0(a0)']],
      '2:s0=1 /\\ 2:s1=0 /\\ 3:s0=1 /\\ 3:s1=0',
    ),
    rvwmo: false,
    why: 'RVWMO is multi-copy atomic: every hart sees stores in one order',
  },
  {
    name: 'WRC+addrs',
    text: test(
      'WRC+addrs',
      [['sw t1,0(a0)'], ['lw s0,0(a0)', 'xor t3,s0,s0', 'add a3,a1,t3', 'sw t1,0(a3)'], ['lw s0,0(a1)', 'xor t3,s0,s0', 'add a3,a0,t3', 'lw s1,0(a3)']],
      '1:s0=1 /\\ 2:s0=1 /\\ 2:s1=0',
    ),
    rvwmo: false,
    why: 'a store seen by one hart is seen by all (multi-copy atomicity)',
  },
  {
    name: 'SB+amoswap',
    text: test('SB+amos', [['amoswap.w.aqrl s1,t1,(a0)', 'lw s0,0(a1)'], ['amoswap.w.aqrl s1,t1,(a1)', 'lw s0,0(a0)']], '0:s0=0 /\\ 1:s0=0'),
    rvwmo: false,
    why: 'AMOs with .aqrl are fully ordered',
  },
];

describe('RVWMO data memory', () => {
  for (const c of CASES) {
    it(`${c.name}: ${c.rvwmo ? 'allowed' : 'forbidden'}: ${c.why}`, () => {
      const t = litmus(c.text);
      expect(allowed(t, ['ziccif-only'])['ziccif-only']).toBe(c.rvwmo);
      // Under sequential consistency every one of these relaxed outcomes is forbidden.
      expect(allowed(t, ['ziccif-only'], 'sc')['ziccif-only']).toBe(false);
    });
  }
});
