// Code and data regions, and the remote harts' driver code, assembled together: laid out
// first so every region sees every label, then encoded.

import { Assembly, JAL_REACH, within, type AsmResult } from '../isa/index.ts';
import { registerNumber } from '../isa/index.ts';
import { child, mapEntries, scalarText, seqItems, stringList, closestHint, type Context, type Located } from './context.ts';
import { LIMITS } from './limits.ts';
import type { ListingLine, Region, RemoteHartSpec } from './types.ts';

/** One past the last address. */
const ADDRESS_END = 1n << 64n;

interface Pending {
  readonly name: string;
  readonly kind: 'code' | 'data';
  readonly asm: Assembly;
  /** Where its text was written (diagnostics map into it). */
  readonly at: Located;
  /** Where its address was written. */
  readonly addrAt: Located;
  /** Interrupts are masked while a hart runs here. */
  readonly masked?: boolean;
}

/**
 * An item of `harts:`: one hart, or `count` identical ones. Identical harts share one
 * driver, so that their states are interchangeable (symmetry the search exploits).
 */
interface HartDecl {
  readonly names: readonly string[];
  readonly calls: Array<{ text: string; at: Located }>;
  /** A hart that runs the scenario's own code from this label instead of a driver. */
  readonly run?: { text: string; at: Located };
  /** Where such a hart is done (default: the end of the code region it starts in). */
  readonly until?: { text: string; at: Located };
  readonly regs: Array<{ name: string; at: Located; keyAt: Located }>;
  readonly timer?: { count: number; fenceI: boolean };
  readonly preempt?: { fixups: boolean; migrate: boolean };
  readonly times: number;
  readonly ipiWhileRunning: boolean;
  readonly at: Located;
}

function hartDecls(ctx: Context): HartDecl[] {
  const harts = ctx.get('harts');
  if (!harts) return [];
  const out: HartDecl[] = [];
  const parksTasks = hasStopMachine(ctx);
  let numbered = 0;
  for (const item of seqItems(harts)) {
    const count = ctx.integer(child(item, 'count'), 1);
    const explicit = scalarText(child(item, 'name'));
    const names: string[] = [];
    for (let k = 1; k <= count; k++) {
      // cpu0 is the patching hart; unnamed remote harts are cpu1, cpu2, ...
      names.push(explicit ? (count > 1 ? `${explicit}${k}` : explicit) : `cpu${numbered + k}`);
    }
    numbered += count;
    const run = child(item, 'run');
    const until = child(item, 'until');
    const regsAt = child(item, 'regs');
    if (!run && !child(item, 'calls')) ctx.error(item, 'a remote hart needs "calls" (functions it calls) or "run" (a label it runs from)');
    if (run && child(item, 'calls')) ctx.error(run, 'a remote hart either runs a driver of "calls" or "run"s its own code, not both');
    if (until && !run) ctx.error(until, '"until" goes with "run"');
    const times = ctx.integer(child(item, 'times'), 1);
    const calls = stringList(child(item, 'calls'));
    // The driver is written out call by call: its length is bounded here, not by memory.
    if (times * calls.length > LIMITS.driverCalls) {
      ctx.error(
        child(item, 'times') ?? child(item, 'calls')!,
        `this hart's driver would make ${(times * calls.length).toLocaleString('en-US')} calls (${calls.length} calls, ${times} times), more than ${LIMITS.driverCalls.toLocaleString('en-US')}, the limit on a driver's calls`,
      );
    }
    const ipiWhileRunning = scalarText(child(item, 'interrupts')) !== 'none';
    if (!ipiWhileRunning) interruptsNone(ctx, item);
    else preemptWithoutTimer(ctx, item, parksTasks);
    out.push({
      names,
      calls,
      ...(run ? { run: { text: scalarText(run) ?? '', at: run } } : {}),
      ...(until ? { until: { text: scalarText(until) ?? '', at: until } } : {}),
      regs: regsAt ? mapEntries(regsAt).map((e) => ({ name: e.key, at: e, keyAt: { node: e.keyNode, src: e.src } })) : [],
      ...timerOf(ctx, child(item, 'timer')),
      ...preemptOf(child(item, 'preempt')),
      times: times * calls.length > LIMITS.driverCalls ? 0 : times,
      ipiWhileRunning,
      at: item,
    });
  }
  const seen = new Set<string>();
  for (const h of out) {
    for (const n of h.names) {
      if (seen.has(n)) ctx.error(h.at, `two remote harts are named "${n}"`);
      seen.add(n);
    }
  }
  return out;
}

/**
 * `interrupts: none` is a task that runs with interrupts disabled: it takes no supervisor
 * interrupt until it idles, a timer's no more than an IPI (machine/interrupts.ts), so a
 * timer or preemption beside it could never happen. Said where it was written, rather than
 * explored as if it might.
 */
function interruptsNone(ctx: Context, item: Located): void {
  const hint = 'interrupts: none masks timer interrupts too, as a task running with interrupts disabled takes neither; drop it, or mask only the part that must not be interrupted (interrupts: masked on its code region)';
  for (const e of mapEntries(item)) {
    const key = { node: e.keyNode, src: e.src };
    if (e.key === 'timer' && ctx.integer(child(e, 'count'), 1) > 0) {
      ctx.error(key, 'a hart with "interrupts: none" takes no timer interrupt: it takes no interrupt while it runs', hint);
    }
    if (e.key === 'preempt' && scalarText(e) !== 'false') {
      ctx.error(key, 'a hart with "interrupts: none" is never preempted: preemption comes at a timer interrupt, and it takes none while it runs', hint);
    }
  }
}

/**
 * `preempt:` on a hart that takes no timer interrupt. A task is switched out only at a
 * timer interrupt (machine/interrupts.ts), so without one nothing moves it: said where it
 * was written, rather than explored as if it might. One thing still reads `preempt:` then:
 * stop_machine parks a preemptible task at any instruction boundary, not only between its
 * calls, though on its own hart. So with stop_machine, `preempt: true` stands, and only what
 * concerns a task switched out (`fixups`, `migrate`) has no effect.
 */
function preemptWithoutTimer(ctx: Context, item: Located, parksTasks: boolean): void {
  const e = mapEntries(item).find((x) => x.key === 'preempt');
  if (!e || scalarText(e) === 'false') return;
  const timer = child(item, 'timer');
  if (timer && ctx.integer(child(timer, 'count'), 1) > 0) return;
  const hint = (what: string) => `give the hart timer interrupts (timer: { count: 1 }), each a point where its task may be switched out, or drop ${what}`;
  if (!parksTasks) {
    ctx.error({ node: e.keyNode, src: e.src }, 'this task is never preempted: preemption comes at a timer interrupt, and this hart takes none', hint('preempt'));
    return;
  }
  for (const sub of mapEntries(e)) {
    if (sub.key !== 'fixups' && sub.key !== 'migrate') continue;
    ctx.error(
      { node: sub.keyNode, src: sub.src },
      `"${sub.key}" has no effect: the task is never switched out (that comes at a timer interrupt, and this hart takes none); stop_machine parks it on its own hart`,
      hint(`"${sub.key}"`),
    );
  }
}

/** Whether some patching hart runs stop_machine (which parks a preemptible task anywhere). */
function hasStopMachine(ctx: Context): boolean {
  const lists = [ctx.get('patch'), ...(ctx.get('patchers') ? seqItems(ctx.get('patchers')!).map((p) => child(p, 'steps')) : [])];
  return lists.some((l) => l !== undefined && seqItems(l).some((i) => child(i, 'stop_machine') !== undefined));
}

function timerOf(ctx: Context, at: Located | undefined): { timer?: { count: number; fenceI: boolean } } {
  if (!at) return {};
  return { timer: { count: ctx.integer(child(at, 'count'), 1), fenceI: scalarText(child(at, 'fence.i')) === 'true' } };
}

function preemptOf(at: Located | undefined): { preempt?: { fixups: boolean; migrate: boolean } } {
  if (!at || scalarText(at) === 'false') return {};
  return { preempt: { fixups: scalarText(child(at, 'fixups')) !== 'false', migrate: scalarText(child(at, 'migrate')) !== 'false' } };
}

/** The driver a remote hart runs: its calls, `times` times, as a kernel caller would make them. */
function driverText(ctx: Context, h: HartDecl, start: bigint): string {
  const lines: string[] = [];
  let pc = start;
  for (let t = 0; t < h.times; t++) {
    for (const c of h.calls) {
      const target = ctx.symbols.get(c.text);
      if (target === undefined) continue; // reported where the call is written
      const near = target !== undefined && within(JAL_REACH, BigInt.asIntN(64, target - pc));
      lines.push(near ? `jal ra, ${c.text}` : `call ${c.text}`);
      pc += near ? 4n : 8n;
    }
  }
  return lines.join('\n');
}

export interface CodeOutput {
  readonly regions: Region[];
  readonly listing: ListingLine[];
  readonly harts: RemoteHartSpec[];
}

export function buildCode(ctx: Context): CodeOutput {
  const pending: Pending[] = [];
  for (const kind of ['code', 'data'] as const) {
    for (const e of ctx.entries(kind)) {
      const base = ctx.symbols.get(e.key);
      const asmAt = child(e, 'asm');
      if (base === undefined || !asmAt) continue;
      const rvc = scalarText(child(e, 'rvc')) === 'true';
      const asm = new Assembly(scalarText(asmAt) ?? '', base, { rvc }).layout((n) => ctx.symbols.get(n));
      const masked = scalarText(child(e, 'interrupts')) === 'masked';
      pending.push({ name: e.key, kind, asm, at: asmAt, addrAt: child(e, 'at')!, ...(masked ? { masked } : {}) });
    }
  }
  // Labels become symbols, visible to every region, claim and patch step.
  for (const p of pending) {
    for (const [label, addr] of p.asm.labels) {
      if (ctx.symbols.has(label) && ctx.symbols.get(label) !== addr) {
        ctx.error(p.at, `label "${label}" in ${p.name} is already defined elsewhere`);
        continue;
      }
      ctx.symbols.set(label, addr);
    }
  }

  // Drivers go after the last region, 64-byte aligned, one after another.
  const decls = hartDecls(ctx);
  const highest = pending.reduce<Pending | undefined>((m, p) => (m === undefined || p.asm.end > m.asm.end ? p : m), undefined);
  let next = ((highest?.asm.end ?? 0n) + 63n) & ~63n;
  /** Whether `bytes` more fit below the top of memory at `next`; else the error that says why not. */
  const room = (bytes: bigint, at: Located, who: string): boolean => {
    if (next + bytes <= ADDRESS_END) return true;
    const h = highest!;
    ctx.error(
      at,
      `no room for ${who} below the top of memory: it goes after the highest region, ${h.name} (0x${h.asm.origin.toString(16)}..0x${h.asm.end.toString(16)}), and would run past 0xffffffffffffffff`,
      `move ${h.name} lower, leaving ${bytes} bytes above it`,
    );
    return false;
  };
  const harts: RemoteHartSpec[] = [];
  const driverOf = new Map<Pending, HartDecl>();
  for (const h of decls) {
    if (h.run) {
      const regs = hartRegs(ctx, h);
      const start = ctx.symbols.get(h.run.text);
      if (start === undefined) {
        ctx.error(h.run.at, `"${h.run.text}" is not a known label`, closestHint(h.run.text, [...ctx.symbols.keys()]));
        continue;
      }
      const region = pending.find((p) => p.kind === 'code' && start >= p.asm.origin && start < p.asm.end);
      if (!region) {
        ctx.error(h.run.at, `"${h.run.text}" (0x${start.toString(16)}) is not in a code region`);
        continue;
      }
      // A region may end at the top of memory: the pc after its last instruction is 0 (it wraps).
      let idleAt = BigInt.asUintN(64, region.asm.end);
      if (h.until) {
        const u = ctx.symbols.get(h.until.text);
        if (u === undefined) ctx.error(h.until.at, `"${h.until.text}" is not a known label`, closestHint(h.until.text, [...ctx.symbols.keys()]));
        else idleAt = u;
      }
      for (const name of h.names) harts.push({ name, start, idleAt, ipiWhileRunning: h.ipiWhileRunning, ...(regs.size ? { regs } : {}), ...extras(h) });
      continue;
    }
    for (const c of h.calls) {
      if (!ctx.symbols.has(c.text)) ctx.error(c.at, `"${c.text}" is not a known function or symbol`, closestHint(c.text, [...ctx.symbols.keys()]));
    }
    const who = h.names.length > 1 ? `${h.names[0]}..${h.names[h.names.length - 1]}` : h.names[0];
    // At most a call (8 bytes) per call made, and the 4-byte gap after its idle point.
    const times = Number.isSafeInteger(h.times) && h.times > 0 ? BigInt(h.times) : 1n;
    if (!room(8n * BigInt(h.calls.length) * times + 4n, h.at, `the driver code of ${who}`)) continue;
    const main = `${who}.main`;
    const idle = `${who}.idle`;
    if (ctx.symbols.has(main) || ctx.symbols.has(idle)) ctx.error(h.at, `remote hart "${who}": the symbol ${main} or ${idle} is taken`);
    const asm = new Assembly(driverText(ctx, h, next), next).layout((n) => ctx.symbols.get(n));
    const p: Pending = { name: main, kind: 'code', asm, at: child(h.at, 'calls') ?? h.at, addrAt: h.at };
    pending.push(p);
    driverOf.set(p, h);
    ctx.symbols.set(main, next);
    ctx.symbols.set(idle, asm.end);
    const regs = hartRegs(ctx, h);
    for (const name of h.names) harts.push({ name, start: next, idleAt: asm.end, ipiWhileRunning: h.ipiWhileRunning, driver: true, ...(regs.size ? { regs } : {}), ...extras(h) });
    next = (asm.end + 4n + 63n) & ~63n; // a gap: the idle point is not the next hart's code
  }

  // Spare harts: no task of their own. They idle at an address no code occupies.
  const spares = ctx.integer(ctx.get('spare-harts'), 0);
  for (let k = 1; k <= spares; k++) {
    if (!room(64n, ctx.get('spare-harts')!, `the idle point of spare${k}`)) break;
    const idleAt = next;
    harts.push({ name: `spare${k}`, start: idleAt, idleAt, ipiWhileRunning: true, spare: true });
    next += 64n;
  }

  const regions: Region[] = [];
  const listing: ListingLine[] = [];
  const results: Array<{ p: Pending; r: AsmResult }> = [];
  for (const p of pending) {
    const r = p.asm.encode((n) => ctx.symbols.get(n));
    if (driverOf.has(p)) {
      // The user wrote the calls, not where their driver lies: say where that is and why.
      const placed = highest
        ? `this hart's calls are made from driver code placed after the highest region, ${highest.name} (0x${highest.asm.origin.toString(16)}..0x${highest.asm.end.toString(16)}): move that region nearer the code called`
        : "this hart's calls are made from driver code placed at address 0, as there is no code or data region: place one near the code called";
      for (const d of r.diagnostics) ctx.error(p.at, `${driverOf.get(p)!.names.join(', ')}: calls: ${d.message}`, placed);
    } else ctx.asmErrors(p.at, r.diagnostics);
    results.push({ p, r });
    regions.push({ name: p.name, base: p.asm.origin, bytes: r.bytes, kind: p.kind, ...(p.masked ? { interruptsMasked: true } : {}) });
    for (const it of r.items) {
      const pos = driverOf.has(p) ? p.at.src.of(p.at.node) : p.at.src.inScalar(p.at.node, it.line, 1);
      listing.push({ region: p.name, addr: it.addr, size: it.size, ...(it.kind === 'insn' ? { bits: it.bits } : {}), source: it.source, pos });
    }
  }
  checkOverlaps(ctx, results.map(({ p }) => p).filter((p) => !ctx.wrappedAddresses.has(p.name)));
  return { regions, listing, harts };
}

function extras(h: HartDecl): Partial<RemoteHartSpec> {
  return { ...(h.timer ? { timer: h.timer } : {}), ...(h.preempt ? { preempt: h.preempt } : {}) };
}

/** A hart's initial registers: `a0: flag` (any address expression). */
function hartRegs(ctx: Context, h: HartDecl): Map<number, bigint> {
  const out = new Map<number, bigint>();
  for (const r of h.regs) {
    const n = registerNumber(r.name);
    if (n === undefined || n === 0) {
      ctx.error(r.keyAt, `"${r.name}" is not a register a hart can start with`);
      continue;
    }
    const v = ctx.value(r.at);
    if (v !== undefined) out.set(n, BigInt.asUintN(64, v));
  }
  return out;
}

function checkOverlaps(ctx: Context, regions: Pending[]): void {
  const sorted = [...regions].sort((a, b) => (a.asm.origin < b.asm.origin ? -1 : a.asm.origin > b.asm.origin ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    // Regions share memory words if they come within the same aligned 4 bytes.
    if (b.asm.origin < ((a.asm.end + 3n) & ~3n)) {
      ctx.error(b.addrAt, `${b.name} (at 0x${b.asm.origin.toString(16)}) overlaps ${a.name} (0x${a.asm.origin.toString(16)}..0x${a.asm.end.toString(16)})`);
    }
  }
}
