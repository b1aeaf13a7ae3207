// A scenario as a program for QEMU's virt machine or a board, on bare metal or under SBI
// firmware (targets.ts): the static runtime in target/ (entry, traps, iterations,
// histogram, the target's platform layer) and what the scenario adds, generated here: its tables (scenario.c), its code regions at their moved addresses and the
// patching hart's steps as instructions (scenario.S), the linker script that puts them
// there, and build.sh with the commands that build and run it.

import { readFileSync } from 'node:fs';
import { fenceSetText } from '../isa/index.ts';
import type { Ending } from '../machine/types.ts';
import { ScenarioError, type PatchStep, type Scenario, type Service } from '../scenario/types.ts';
import { endingText, herdStates, Names, observedLocations, planScenario } from '../verdict/index.ts';
import { moved, movedValue, place, QEMU_RAM_BASE } from './layout.ts';
import { unsupportedDiagnostics } from './support.ts';
import { defaultTarget, TARGETS, type TargetRules } from './targets.ts';
import type { EmitOptions, HwProgram, HwTarget, Placement } from './types.ts';

const RUNTIME_FILES = ['mode.h', 'hw.h', 'entry.S', 'runtime.c'] as const;
const STACK_BYTES = 16384;
export const ELF = 'prog.elf';
export const CC = 'riscv64-unknown-elf-gcc';
export const QEMU = 'qemu-system-riscv64';
export const OBJCOPY = 'riscv64-unknown-elf-objcopy';
export const IMAGE = 'prog.bin';

const hex = (v: bigint) => `0x${v.toString(16)}`;

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
function nameTable(s: Scenario): Array<[bigint, string]> {
  const names = new Names(s);
  const addrs = new Set<bigint>(s.symbols.values());
  for (const r of s.system.regions) {
    if (r.kind !== 'code') continue;
    for (let a = r.base; a <= r.base + BigInt(r.bytes.length); a += 2n) addrs.add(a);
  }
  return [...addrs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((a) => [a, names.addr(a)]);
}

/**
 * The offsets of a region's 8-byte words that may hold pointers: every aligned one of a
 * data region; in code, each `.dword` (a CALL_OPS literal), never a pair of instructions.
 */
function wordOffsets(s: Scenario, r: Scenario['system']['regions'][number]): number[] {
  if (r.kind === 'code') return s.listing.filter((l) => l.region === r.name && l.bits === undefined && l.size === 8).map((l) => Number(l.addr - r.base));
  const out: number[] = [];
  for (let k = Number((8n - (r.base & 7n)) & 7n); k + 8 <= r.bytes.length; k += 8) out.push(k);
  return out;
}

/** A region's bytes as the machine starts it: 8-byte pointers moved with what they point to. */
function imageBytes(s: Scenario, p: Placement, r: Scenario['system']['regions'][number]): Uint8Array {
  const out = Uint8Array.from(r.bytes);
  const view = new DataView(out.buffer);
  for (const k of wordOffsets(s, r)) view.setBigUint64(k, movedValue(p, s, view.getBigUint64(k, true)), true);
  return out;
}

/**
 * A pointer the scenario writes in parts (a half at a time), or undefined: the machine's
 * pointer is not the scenario's, so neither are its halves.
 */
function pointerInParts(s: Scenario, p: Placement): PatchStep | undefined {
  const pointers = new Set<bigint>();
  for (const r of s.system.regions) {
    const view = new DataView(Uint8Array.from(r.bytes).buffer);
    for (const k of wordOffsets(s, r)) {
      const v = view.getBigUint64(k, true);
      if (movedValue(p, s, v) !== v) pointers.add(r.base + BigInt(k));
    }
  }
  const steps = s.system.patchers.flatMap((x) => x.steps);
  for (const st of steps) if (st.kind === 'store' && st.size === 8 && movedValue(p, s, st.value) !== st.value) pointers.add(st.addr);
  return steps.find((st) => st.kind === 'store' && st.size < 8 && [...pointers].some((w) => st.addr < w + 8n && st.addr + BigInt(st.size) > w));
}

const byteList = (b: Uint8Array) => [...b].map((x) => `0x${x.toString(16).padStart(2, '0')}`).join(', ');

function scenarioC(s: Scenario, p: Placement, options: { harts: number; iterations: number; seed: number }): string {
  const sys = s.system;
  const names = new Names(s);
  const endings = endingTemplates();
  const groups = planScenario(s).groups;
  const lines: string[] = [
    `/* Generated by patchlit emit from ${s.pos.file}:${s.pos.line} (scenario ${s.name}): the tables runtime.c runs. */`,
    '#include "hw.h"',
    '',
    `const char hw_scenario_name[] = ${cString(s.name)};`,
    `const u64 hw_harts = ${options.harts}, hw_tasks_n = ${sys.harts.length}, hw_patchers = ${sys.patchers.length}, hw_iterations = ${options.iterations}, hw_seed = ${options.seed};`,
    '/* A scenario address A of a cluster runs at A + delta (mod 2^64); so does a value among its addresses. */',
    `const u64 hw_clusters_n = ${p.clusters.length};`,
    'const struct hw_cluster hw_clusters[] = {',
    ...p.clusters.map((c) => `  {${hex(moved(p, c.low))}ull, ${hex(moved(p, c.high))}ull, ${hex(c.delta)}ull}, /* 0x${c.low.toString(16)}..0x${c.high.toString(16)} */`),
    '  {0},',
    '};',
    '',
    'const struct hw_task hw_tasks[] = {',
    ...sys.harts.map((h, i) => {
      const regs = Array.from({ length: 32 }, (_, r) => hex(movedValue(p, s, h.regs?.get(r) ?? 0n)) + 'ull');
      return `  {${hex(moved(p, h.start))}ull, ${hex(moved(p, h.idleAt))}ull, ${h.ipiWhileRunning ? 1 : 0}, {${regs.join(', ')}}, ${cString(names.hart(i))}},`;
    }),
    '  {0},',
    '};',
    '',
    ...sys.regions.map((r, i) => `static const u8 region${i}[] = {${byteList(imageBytes(s, p, r))}};`),
    `const u64 hw_regions_n = ${sys.regions.length};`,
    'const struct hw_region hw_regions[] = {',
    ...sys.regions.map((r, i) => `  {${hex(moved(p, r.base))}ull, ${r.bytes.length}, region${i}, ${r.kind === 'code' ? 1 : 0}}, /* ${r.name} */`),
    '  {0},',
    '};',
    '',
    `const u64 hw_stubs_n = ${sys.stubs.length};`,
    'const struct hw_stub hw_stubs[] = {',
    ...sys.stubs.map((x) => `  {${hex(moved(p, x.addr))}ull, ${x.returnReg}, ${cString(x.name)}, ${serviceC(x.service)}},`),
    '  {0},',
    '};',
    '',
  ];
  const table = nameTable(s);
  lines.push(`const u64 hw_names_n = ${table.length};`, 'const struct hw_name hw_names[] = {', ...table.map(([a, t]) => `  {${hex(a)}ull, ${cString(t)}},`), '  {0},', '};', '');
  sys.fixups.forEach((f, i) => {
    lines.push(`static const u64 fixup${i}_at[] = {${(f.at ?? []).map((a) => hex(a) + 'ull').join(', ') || '0'}};`);
    lines.push(`static const u64 fixup${i}_ranges[] = {${(f.ranges ?? []).flatMap((r) => [hex(r.start) + 'ull', hex(r.end) + 'ull']).join(', ') || '0'}};`);
  });
  lines.push(
    `const u64 hw_fixups_n = ${sys.fixups.length};`,
    'const struct hw_fixup hw_fixups[] = {',
    ...sys.fixups.map((f, i) => {
      const on = (c: 'ipi' | 'stop') => (!f.on || f.on.includes(c) ? 1 : 0);
      return `  {${hex(BigInt(f.mask >>> 0))}u, ${hex(BigInt(f.match >>> 0))}u, ${hex(BigInt.asUintN(64, f.adjust))}ull, ${on('ipi')}, ${on('stop')}, ${f.at?.length ?? 0}, fixup${i}_at, ${f.ranges?.length ?? 0}, fixup${i}_ranges}, /* ${f.name} */`;
    }),
    '  {0},',
    '};',
    '',
    ...finalsC(s, p),
    `const u64 hw_groups[] = {${[...groups.flatMap((g) => [g.length, ...g]), 0].join(', ')}};`,
    `const u64 hw_ipi_bare_handler = ${bareHandler(s) ? 1 : 0};`,
    `const struct hw_endings hw_endings = {${[endings.complete, endings.illegal, endings.wild, endings.breakpoint, endings.ecall, endings.loadFault, endings.storeFault].map(cString).join(', ')}};`,
    '',
  );
  return lines.join('\n');
}

/** The final values the runtime prints (finalTemplates). */
function finalsC(s: Scenario, p: Placement): string[] {
  const t = finalTemplates(s);
  const locs = observedLocations(s);
  const names = [...(s.litmus?.valueNames ?? new Map<bigint, string>())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const row = (before: string, loc: number) => {
    const l = locs[loc];
    return l.kind === 'reg' ? `  {${cString(before)}, 0, ${l.hart + 1}, ${l.reg}, 0},` : `  {${cString(before)}, ${l.size}, 0, 0, ${hex(moved(p, l.addr))}ull},`;
  };
  return [
    `const u64 hw_finals_n = ${t?.pieces.length ?? 0};`,
    'const struct hw_final hw_finals[] = {',
    ...(t?.pieces.map((x) => row(x.before, x.loc)) ?? []),
    '  {0},',
    '};',
    `const char hw_finals_after[] = ${cString(t?.after ?? '')};`,
    "/* Values printed by name (a litmus test's instr:\"...\" and labels), and whether large ones are hex (verdict/words.ts valueText). */",
    `const u64 hw_value_names_n = ${names.length};`,
    'const struct hw_name hw_value_names[] = {',
    ...names.map(([v, text]) => `  {${hex(BigInt.asUintN(64, v))}ull, ${cString(text)}},`),
    '  {0},',
    '};',
    `const u64 hw_large_values_hex = ${s.litmus ? 0 : 1};`,
    '',
  ];
}

/**
 * Whether the program's one IPI handler is the bare one, which runs FENCE.I before it loads
 * the request: when every IPI step asks for it. With one that does not, the handler loads
 * the request first, which orders more: the machine then shows a subset of what the bare
 * handler's steps allow, never an outcome they forbid.
 */
function bareHandler(s: Scenario): boolean {
  const ipis = s.system.patchers.flatMap((p) => p.steps.filter((st) => st.kind === 'ipi'));
  return ipis.length > 0 && ipis.every((st) => st.kind === 'ipi' && st.handler === 'bare');
}

/** Remote harts (task indices) as the runtime's hart mask: task t runs on hart t + 1. */
const hartMask = (targets: readonly number[]) => hex(targets.reduce((m, t) => m | (1n << BigInt(t + 1)), 0n));

/** hw_ipi's flags (hw.h HW_IPI_*). */
const ipiFlags = (st: Extract<PatchStep, { kind: 'ipi' }>) => (st.sync ? 1 : 0) | (st.fence ? 2 : 0) | (st.queue === 'relaxed' ? 4 : 0);

/** A stub's service as hw.h's struct hw_stub has it: kind, hart mask, IPI flags, lock. */
function serviceC(service: Service | undefined): string {
  switch (service?.kind) {
    case undefined:
      return 'HW_SERVICE_NONE, 0, 0, 0';
    case 'ipi':
      return `HW_SERVICE_IPI, ${hartMask(service.targets)}, ${ipiFlags(service)}, 0`;
    case 'sbi':
      return `HW_SERVICE_SBI, ${hartMask(service.targets)}, 0, 0`;
    case 'lock':
    case 'unlock':
      return `HW_SERVICE_${service.kind.toUpperCase()}, 0, 0, ${service.lock}`;
  }
}

const SIZE_STORE: Record<number, string> = { 1: 'sb', 2: 'sh', 4: 'sw', 8: 'sd' };

/** One patch step as instructions of the patching hart, after a random delay. */
function stepAsm(s: Scenario, p: Placement, st: PatchStep): string[] {
  const body = ((): string[] => {
    switch (st.kind) {
      case 'store': {
        const value = st.size === 8 ? movedValue(p, s, st.value) : st.value;
        return [`li t0, ${hex(moved(p, st.addr))}`, `li t1, ${hex(value)}`, `${SIZE_STORE[st.size]} t1, 0(t0)`];
      }
      case 'fence':
        return [st.tso ? 'fence.tso' : `fence ${fenceSetText(st.pred)}, ${fenceSetText(st.succ)}`];
      case 'fence.i':
        return ['fence.i'];
      case 'ipi': {
        return [`li a0, ${hartMask(st.targets)}`, `li a1, ${ipiFlags(st)}`, 'call hw_ipi'];
      }
      case 'sbi':
        // The firmware's own remote fence.i (sbi.c): what it orders and when it returns is
        // the firmware's, which is what the run puts to the test.
        return [`li a0, ${hartMask(st.targets)}`, 'call hw_remote_fence_i'];
      case 'lock':
      case 'unlock':
        return [`li a0, ${st.lock}`, `call hw_${st.kind}`];
      case 'stop':
        return ['call hw_stop'];
      case 'restart':
        return ['call hw_restart'];
      case 'wait':
        return [`li a0, ${hex(moved(p, st.addr))}`, `li a1, ${st.size}`, `li a2, ${hex(st.value)}`, 'call hw_wait'];
      default:
        // support.ts refuses every other kind before a program is emitted.
        throw new Error(`emit: no instructions for a ${st.kind} step`);
    }
  })();
  return [`\t# ${st.label}`, '\tcall hw_step_delay', ...body.map((l) => `\t${l}`)];
}

function scenarioS(s: Scenario, p: Placement): string {
  const sys = s.system;
  const out = [
    `# Generated by patchlit emit (scenario ${s.name}): the scenario's regions at their moved addresses, and the patching hart's steps.`,
    '\t.option norelax',
  ];
  sys.regions.forEach((r, i) => {
    out.push('', `\t# ${r.name}: 0x${r.base.toString(16)} in the scenario, ${hex(moved(p, r.base))} here`, `\t.section .hw_region${i}, "${r.kind === 'code' ? 'ax' : 'aw'}", @progbits`);
    const bytes = imageBytes(s, p, r);
    // Instructions as `.insn` (objdump then disassembles them), anything else as bytes.
    const insns = new Map(s.listing.filter((l) => l.region === r.name && l.bits !== undefined).map((l) => [Number(l.addr - r.base), l]));
    for (let k = 0; k < bytes.length; ) {
      const l = insns.get(k);
      if (l && k + l.size <= bytes.length) {
        out.push(`\t.insn ${hex(BigInt(l.bits! >>> 0))}\t# ${l.source.trim()}`);
        k += l.size;
      } else out.push(`\t.byte ${byteList(bytes.subarray(k, k + 1))}`), k++;
    }
  });
  out.push('', '\t.text', '\t.globl hw_patch', 'hw_patch:', '\taddi sp, sp, -16', '\tsd ra, 8(sp)');
  for (const st of sys.patchers[0]?.steps ?? []) out.push(...stepAsm(s, p, st));
  out.push('\tld ra, 8(sp)', '\taddi sp, sp, 16', '\tret', '');
  return out.join('\n');
}

function linkerScript(s: Scenario, p: Placement, target: TargetRules): string {
  return [
    '/* Generated by patchlit emit: the runtime at the start of RAM, each region where the scenario has it, moved. */',
    'OUTPUT_ARCH(riscv)',
    'ENTRY(_start)',
    'SECTIONS',
    '{',
    `  . = ${hex(p.ramBase + target.runtimeOffset)};`,
    '  .text : { *(.text.entry) *(.text .text.*) }',
    '  .rodata : { *(.rodata .rodata.* .srodata .srodata.*) }',
    '  .data : { *(.data .data.* .sdata .sdata.*) }',
    '  .bss : { *(.bss .bss.* .sbss .sbss.* COMMON) }',
    '  . = ALIGN(8);',
    '  __runtime_end = .;',
    '  __image_size = __runtime_end - _start;',
    ...s.system.regions.map((r, i) => `  .hw_region${i} ${hex(moved(p, r.base))} : { KEEP(*(.hw_region${i})) }`),
    '}',
    `ASSERT(__runtime_end <= ${hex(p.imageBase)}, "the runtime overlaps the scenario's code")`,
    '',
  ].join('\n');
}

export function buildArgs(target: HwTarget): string[] {
  const rules = TARGETS[target];
  return [
    '-march=rv64imac_zicsr_zifencei',
    '-mabi=lp64',
    '-mcmodel=medany',
    '-mno-relax',
    '-O2',
    '-ffreestanding',
    '-fno-builtin',
    '-fno-tree-loop-distribute-patterns',
    '-nostdlib',
    '-nostartfiles',
    `-DHW_STACK_BYTES=${STACK_BYTES}`,
    ...rules.defines,
    '-T',
    'link.ld',
    '-o',
    ELF,
    'entry.S',
    'runtime.c',
    rules.platform,
    'scenario.c',
    'scenario.S',
  ];
}

/** objcopy's arguments: the runtime as a flat image from its first byte, .bss as zeros (no loader clears it); the scenario's regions stay out (the runtime writes them every iteration). */
export function imageArgs(): string[] {
  return ['-O', 'binary', '-j', '.text', '-j', '.rodata', '-j', '.data', '-j', '.bss', '--set-section-flags', '.bss=alloc,load,contents', ELF, IMAGE];
}

export function qemuArgs(target: HwTarget, harts: number, memoryMiB: number): string[] {
  const rules = TARGETS[target];
  return ['-machine', 'virt', '-bios', rules.bios, '-nographic', '-m', `${memoryMiB}M`, '-smp', String(harts), '-accel', 'tcg,thread=multi', '-kernel', rules.image ? IMAGE : ELF];
}

/** build.sh: the commands that build the program and, where it is QEMU's, run it. */
function buildScript(s: Scenario, p: Placement, rules: TargetRules, build: readonly string[], image: readonly string[] | undefined, qemu: readonly string[]): string {
  const onQemu = p.ramBase === QEMU_RAM_BASE;
  const runtime = hex(p.ramBase + rules.runtimeOffset);
  return [
    '#!/bin/sh',
    `# Builds scenario ${s.name} for ${rules.title}${onQemu ? ' and runs it on QEMU' : ''} (patchlit emit).`,
    ...(onQemu || !image ? [] : [`# On a board: load ${IMAGE} at ${runtime} and boot it as a kernel (U-Boot: booti ${runtime} - \$fdtcontroladdr);`, '# the histogram is printed on its console.']),
    'set -e',
    'cd "$(dirname "$0")"',
    `${CC} ${build.join(' ')}`,
    ...(image ? [`${OBJCOPY} ${image.join(' ')}`] : []),
    ...(onQemu ? [`${QEMU} ${qemu.join(' ')}`] : []),
    '',
  ].join('\n');
}

/** The harts a scenario needs: the patching hart, then one per remote hart. */
export function hartsNeeded(s: Scenario): number {
  return 1 + s.system.harts.length;
}

/**
 * The program for a scenario. Throws ScenarioError, at the scenario, for what emit does
 * not support yet and for a machine with too few harts.
 */
export function emitProgram(s: Scenario, options: EmitOptions): HwProgram {
  const target = options.target ?? defaultTarget(s);
  const rules = TARGETS[target];
  const refused = unsupportedDiagnostics(s, target);
  const p = place(s, options.ramBase);
  if (typeof p === 'string') refused.push({ pos: s.pos, message: `emit does not support ${p} yet (scenario "${s.name}")` });
  const harts = options.harts ?? hartsNeeded(s);
  if (harts < hartsNeeded(s)) refused.push({ pos: s.pos, message: `scenario "${s.name}" needs ${hartsNeeded(s)} harts (a patching hart and ${s.system.harts.length} remote), not ${harts}` });
  if (harts > 8) refused.push({ pos: s.pos, message: `the program runs on at most 8 harts, not ${harts}` });
  const parts = typeof p === 'string' ? undefined : pointerInParts(s, p);
  if (parts) refused.push({ pos: s.pos, message: `emit does not support a pointer written in parts yet (scenario "${s.name}": ${parts.label})`, hint: "the machine's pointers are moved with the code, so their halves are not the scenario's" });
  if (refused.length || typeof p === 'string') throw new ScenarioError(refused);
  const full = { harts, iterations: options.iterations, seed: options.seed ?? 1 };
  const files = new Map<string, string>();
  for (const f of [...RUNTIME_FILES, rules.platform]) files.set(f, readFileSync(new URL(`./target/${f}`, import.meta.url), 'utf8'));
  files.set('scenario.c', scenarioC(s, p, full));
  files.set('scenario.S', scenarioS(s, p));
  files.set('link.ld', linkerScript(s, p, rules));
  const q = qemuArgs(target, harts, p.memoryMiB);
  const build = buildArgs(target);
  const image = rules.image ? imageArgs() : undefined;
  files.set('build.sh', buildScript(s, p, rules, build, image, q));
  return { scenario: s.name, files, harts, iterations: options.iterations, target, placement: p, buildArgs: build, ...(image ? { imageArgs: image } : {}), qemuArgs: q };
}
