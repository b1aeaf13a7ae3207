// `patchlit asm [--at ADDR] [--rvc] [INSN...]`: assemble instructions and print their
// encodings as `objdump -d` shows them, one line per instruction word emitted. The items
// are one source text, one item per line, laid out from --at as an assembler places them,
// so that labels and `.+N` targets between items work. Exit 0, or 2 when an item has an
// error (the other items are still printed).

import { readFileSync } from 'node:fs';
import { assemble, type AsmItem } from '../isa/index.ts';
import { UsageError } from './usage.ts';
import { parseOptions } from './usage.ts';

export const ASM_USAGE = `usage: patchlit asm [options] [INSN...]

Assembles each INSN (GNU as syntax, RV64GC; quote each one) and prints its encoding
as objdump -d shows it: 8 hex digits for a 32-bit instruction, 4 for a compressed
one, one line per instruction emitted (call, tail, li and la may emit several).
The items form one source, one item per line, laid out one after another from
--at: labels and .+N targets between items work. With no INSN, reads one
instruction per line from standard input (blank lines and # comments allowed).

options:
  --at ADDR     address of the first item, decimal or 0x-hex (default 0)
  --rvc         start with .option rvc: compressed forms wherever they fit
  -h, --help    this text

errors are reported as <args>:N:COL (N-th INSN) or <stdin>:LINE:COL.
exit status: 0 every item assembled, 2 an item has an error (the others are
still printed) or bad options`;

/** Where the commands write: process.stdout and process.stderr, or a test's collector. */
export interface Sink {
  write(text: string): unknown;
}

/** The text standard input holds; tests pass their own. */
export type StdinReader = () => string;

export const readStdin: StdinReader = () => readFileSync(0, 'utf8');

const MASK64 = (1n << 64n) - 1n;

/** An --at value: decimal or 0x-hex, exact to the bit (kernel addresses exceed 2^53). */
export function parseAddress(text: string, option = '--at'): bigint {
  if (!/^(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(text)) {
    throw new UsageError(`${option} takes an address, decimal or 0x-hex, not "${text}"`);
  }
  const v = BigInt(text);
  if (v > MASK64) throw new UsageError(`${option} ${text} does not fit in 64 bits`);
  return v;
}

/** A position in what the user typed: the command's own line and column. */
interface Origin {
  readonly line: number;
  /** Added to a column of the text line to give the column in the user's input. */
  readonly colOffset: number;
}

interface Source {
  readonly where: string;
  /** The assembler's input, one item per line. */
  readonly lines: string[];
  /** For each line of `lines`, where it came from. */
  readonly origins: Origin[];
}

/** Arguments as one source text: an argument with newlines in it spans several lines. */
function argsSource(args: readonly string[]): Source {
  const lines: string[] = [];
  const origins: Origin[] = [];
  args.forEach((arg, i) => {
    let offset = 0;
    for (const piece of arg.split('\n')) {
      lines.push(piece);
      origins.push({ line: i + 1, colOffset: offset });
      offset += piece.length + 1;
    }
  });
  return { where: '<args>', lines, origins };
}

function stdinSource(text: string): Source {
  const lines = text.split('\n');
  return { where: '<stdin>', lines, origins: lines.map((_, i) => ({ line: i + 1, colOffset: 0 })) };
}

/** An emitted item as objdump shows it: its bytes as one little-endian number (data and fill have no bits). */
function itemHex(item: AsmItem, bytes: Uint8Array, origin: bigint): string {
  if (item.kind === 'insn' && item.bits !== undefined) return (item.bits >>> 0).toString(16).padStart(item.size * 2, '0');
  const at = Number(item.addr - origin);
  let v = 0n;
  for (let i = item.size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i] ?? 0);
  return v.toString(16).padStart(item.size * 2, '0');
}

export function asmCommand(
  argv: readonly string[],
  stdin: StdinReader = readStdin,
  out: Sink = process.stdout,
  err: Sink = process.stderr,
): number {
  const { values, positionals } = parseOptions({
    args: [...argv],
    allowPositionals: true,
    options: {
      at: { type: 'string' },
      rvc: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(ASM_USAGE + '\n');
    return 0;
  }
  const origin = values.at === undefined ? 0n : parseAddress(values.at);
  const source = positionals.length > 0 ? argsSource(positionals) : stdinSource(stdin());

  // A line with an error emits nothing; the assembler still lays out and encodes the others.
  const { items, bytes, diagnostics } = assemble(source.lines.join('\n'), origin, undefined, { rvc: values.rvc ?? false });
  const bad = new Set(diagnostics.map((d) => d.line));
  for (const item of items) if (!bad.has(item.line)) out.write(itemHex(item, bytes, origin) + '\n');

  const sorted = [...diagnostics].sort((a, b) => a.line - b.line || a.col - b.col);
  for (const d of sorted) {
    const o = source.origins[d.line - 1] ?? { line: d.line, colOffset: 0 };
    err.write(`${source.where}:${o.line}:${d.col + o.colOffset}: error: ${d.message}\n`);
    if (d.hint) err.write(`  hint: ${d.hint}\n`);
  }
  return diagnostics.length > 0 ? 2 : 0;
}
