// What the machine can run: every instruction a scenario may execute must be one the
// model gives a meaning to. An instruction it does not model (a CSR access, a
// floating-point load, WFI) is reported where it was written, before any exploring,
// rather than turned into an "illegal instruction" the hardware would not raise.

import { decode, disassembleText, instructionLength } from '../isa/index.ts';
import { checksNothing, readNotebook, ScenarioError, uniqueDiagnostics, type ImportOptions } from '../scenario/index.ts';
import type { Diagnostic, Notebook, PatchStep, Scenario } from '../scenario/types.ts';
import { EXECUTORS } from './semantics.ts';

/** Operations with a meaning in the model (besides the illegal ones, which trap as they should). */
export function modelled(op: string): boolean {
  return op in EXECUTORS;
}

/**
 * A CSR instruction that writes a read-only CSR (number 0xc00 and up, such as cycle) raises
 * an illegal-instruction exception whatever the CSR holds: `unimp` (csrrw zero, cycle, zero)
 * is the conventional way to write one, and the machine runs it as exactly that.
 */
export function writesReadOnlyCsr(bits: number): boolean {
  const d = decode(bits);
  if (!d.op.startsWith('csrr') || d.csr >>> 10 !== 3) return false;
  if (d.op === 'csrrw' || d.op === 'csrrwi') return true;
  return d.op.endsWith('i') ? d.imm !== 0 : d.rs1 !== 0; // csrrs/csrrc with rs1 = 0 (or uimm 0) only read
}

function unmodelled(bits: number): string | undefined {
  const d = decode(bits);
  if (d.op === 'illegal' || modelled(d.op) || writesReadOnlyCsr(bits)) return undefined;
  return `the model does not execute ${disassembleText(bits).replace('\t', ' ')} (${d.name})`;
}

/** Instructions of a scenario's code, and instructions its patch steps store, that the machine cannot run. */
export function unsupportedInstructions(s: Scenario): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of s.listing) {
    const why = line.bits === undefined || s.system.regions.find((r) => r.name === line.region)?.kind !== 'code' ? undefined : unmodelled(line.bits);
    if (why) out.push({ pos: line.pos, message: why, hint: 'patchlit models RV64IMAC integer code, FENCE, FENCE.I, ECALL and EBREAK' });
  }
  for (const p of s.system.patchers) {
    p.steps.forEach((step, i) => {
      if (step.kind !== 'store') return;
      for (const bits of storedInstructions(s, step)) {
        const why = unmodelled(bits);
        if (why) out.push({ pos: p.positions[i], message: why });
      }
    });
  }
  return out;
}

/**
 * The instructions a store into code writes whole, decoded from its bytes where they fall.
 * Bytes the listing holds as data (the ops pointer CALL_OPS keeps in the .dword before a
 * function, say) are data, whatever their bits would decode to: a hart that reached them
 * would already be running data, which the listing check does not look at either. A piece
 * whose other half this store does not write is left out: what a fetch sees there depends
 * on other stores (the safe-harbour lint warns about such stores).
 */
function storedInstructions(s: Scenario, step: Extract<PatchStep, { kind: 'store' }>): number[] {
  const region = s.system.regions.find((r) => r.kind === 'code' && step.addr >= r.base && step.addr < r.base + BigInt(r.bytes.length));
  if (!region) return [];
  const end = step.addr + BigInt(step.size);
  const data = new Set<bigint>();
  for (const l of s.listing) {
    if (l.region !== region.name || l.bits !== undefined || l.addr >= end || l.addr + BigInt(l.size) <= step.addr) continue;
    for (let k = 0n; k < BigInt(l.size); k++) data.add(l.addr + k);
  }
  const byte = (k: number) => Number((step.value >> BigInt(8 * k)) & 0xffn);
  const out: number[] = [];
  for (let k = 0; k + 2 <= step.size; ) {
    if (data.has(step.addr + BigInt(k))) {
      k++;
      continue;
    }
    const parcel = byte(k) | (byte(k + 1) << 8);
    const len = instructionLength(parcel) === 2 ? 2 : 4;
    if (k + len > step.size) break;
    out.push(len === 2 ? parcel : (parcel | (byte(k + 2) << 16) | (byte(k + 3) << 24)) >>> 0);
    k += len;
  }
  return out;
}

/**
 * A notebook read to be judged: ScenarioError for its bad input, and for what judging it
 * would refuse, once per place (scenarios that extend another share its code and steps):
 * an instruction the machine does not model, a scenario that checks nothing.
 */
export function judgeableNotebook(file: string, text: string, options: ImportOptions = {}): Notebook {
  const notebook = readNotebook(file, text, options);
  const refused = uniqueDiagnostics(notebook.entries.flatMap((e) => [...unsupportedInstructions(e.scenario), ...checksNothing(e.scenario)]));
  if (refused.length) throw new ScenarioError(refused);
  return notebook;
}
