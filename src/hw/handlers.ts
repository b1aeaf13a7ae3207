// A scenario's trap handlers (kprobes) as C for the runtime: which trap each takes (its
// cause, its address, whether it is registered now), whether it runs FENCE.I, and the
// instructions it emulates, each turned into C statements on the trap frame's registers
// as they would execute at the trapping pc and the pcs after it (machine/hart.ts handled).
// Only register-only instructions and, last, a jump or branch are emulated, as the
// scenario stage allows; one this file has no C for is refused, never run wrong.

import { decode, upper, type Decoded } from '../isa/index.ts';
import type { Scenario, TrapHandler } from '../scenario/types.ts';
import { moved } from './layout.ts';
import type { Placement } from './types.ts';
import { cString, hex } from './words.ts';

/** A register as C reads it from the frame: x0 is 0 (the frame does not hold it). */
const reg = (n: number) => (n === 0 ? '0ull' : `r[${n}]`);
const imm = (v: number | bigint) => `(u64)${BigInt.asIntN(64, BigInt(v))}ll`;

/** rd = f(rs1, imm) and rd = f(rs1, rs2), in C on u64 (the *W forms sign-extend 32 bits). */
const ALU_IMM_C: Record<string, (a: string, i: string) => string> = {
  addi: (a, i) => `${a} + ${i}`,
  andi: (a, i) => `${a} & ${i}`,
  ori: (a, i) => `${a} | ${i}`,
  xori: (a, i) => `${a} ^ ${i}`,
  slli: (a, i) => `${a} << (${i} & 63)`,
  srli: (a, i) => `${a} >> (${i} & 63)`,
  srai: (a, i) => `(u64)((int64_t)${a} >> (${i} & 63))`,
  addiw: (a, i) => `(u64)(int64_t)(int32_t)(${a} + ${i})`,
};
const ALU_REG_C: Record<string, (a: string, b: string) => string> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  and: (a, b) => `${a} & ${b}`,
  or: (a, b) => `${a} | ${b}`,
  xor: (a, b) => `${a} ^ ${b}`,
  addw: (a, b) => `(u64)(int64_t)(int32_t)(${a} + ${b})`,
  subw: (a, b) => `(u64)(int64_t)(int32_t)(${a} - ${b})`,
};
const BRANCH_C: Record<string, (a: string, b: string) => string> = {
  beq: (a, b) => `${a} == ${b}`,
  bne: (a, b) => `${a} != ${b}`,
  blt: (a, b) => `(int64_t)${a} < (int64_t)${b}`,
  bge: (a, b) => `(int64_t)${a} >= (int64_t)${b}`,
  bltu: (a, b) => `${a} < ${b}`,
  bgeu: (a, b) => `${a} >= ${b}`,
};

/** C for one emulated instruction at `pc` (a C expression), or undefined when there is none. */
function insnC(d: Decoded, pc: string): string[] | undefined {
  const write = (value: string) => (d.rd === 0 ? [] : [`r[${d.rd}] = ${value};`]);
  const after = `${pc} + ${d.length}`;
  if (d.rd === 2) return undefined; // the frame's sp is the runtime's, not restored from it
  if (d.op === 'lui') return write(imm(upper(d.imm)));
  if (d.op === 'auipc') return write(`${pc} + ${imm(upper(d.imm))}`);
  if (ALU_IMM_C[d.op]) return write(ALU_IMM_C[d.op](reg(d.rs1), imm(d.imm)));
  if (ALU_REG_C[d.op]) return write(ALU_REG_C[d.op](reg(d.rs1), reg(d.rs2)));
  if (d.op === 'jal') return [...write(after), `next = ${pc} + ${imm(d.imm)};`];
  if (d.op === 'jalr') return [`{ u64 to = (${reg(d.rs1)} + ${imm(d.imm)}) & ~1ull;`, ...write(after), 'next = to; }'];
  if (BRANCH_C[d.op]) return [`next = (${BRANCH_C[d.op](reg(d.rs1), reg(d.rs2))}) ? ${pc} + ${imm(d.imm)} : ${after};`];
  return undefined;
}

/** The instructions of the scenario's handlers that the runtime cannot emulate, in words. */
export function unemulated(s: Scenario): string[] {
  return (s.system.traps ?? []).flatMap((t) => (t.emulate ?? []).filter((e) => !insnC(decode(e.bits), 'pc')).map((e) => `a trap handler that emulates ${e.text}`));
}

/** A handler's emulation as a C function of the frame's registers and the trapping pc; it returns where the hart resumes. */
function emulateC(t: TrapHandler, k: number, p: Placement): string[] {
  const body: string[] = ['  u64 next = at + len;'];
  let off = 0;
  for (const e of t.emulate ?? []) {
    const d = decode(e.bits);
    const jumps = d.op === 'jal' || d.op === 'jalr' || BRANCH_C[d.op] !== undefined;
    body.push(`  /* ${e.text} */`, ...insnC(d, `(at + ${off})`)!.map((l) => `  ${l}`), ...(jumps ? [] : [`  next = at + ${off + d.length};`]));
    off += d.length;
  }
  if (t.resume !== undefined) body.push(`  next = ${hex(moved(p, t.resume))}ull;`);
  return [`static u64 hw_emulate${k}(u64 *r, u64 at, u64 len) {`, '  (void)r;', ...body, '  return next;', '}'];
}

/** The handlers' table (runtime.c hw_handlers) and their emulations, for scenario.c. */
export function handlersC(s: Scenario, p: Placement): string[] {
  const traps = s.system.traps ?? [];
  const out: string[] = [];
  traps.forEach((t, k) => out.push(...emulateC(t, k, p), ''));
  out.push(
    `const u64 hw_handlers_n = ${traps.length};`,
    'const struct hw_handler hw_handlers[] = {',
    ...traps.map((t, k) => `  {${t.cause === 'breakpoint' ? 3 : 2}, ${t.at === undefined ? 0 : 1}, ${t.at === undefined ? '0' : hex(moved(p, t.at))}ull, ${t.fenceI ? 1 : 0}, ${t.registered ? 1 : 0}, hw_emulate${k}, ${cString(t.name)}},`),
    '  {0},',
    '};',
    '',
  );
  return out;
}
