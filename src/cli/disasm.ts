// `patchlit disasm [--at ADDR] [--listing] [--no-aliases] [HEX...]`: disassemble
// instruction words as `objdump -d` prints them. The input is hex tokens, 16-bit parcels
// or 32-bit words, laid out one after another from --at; a kernel oops `Code:` line can be
// pasted as it is, its parenthesised parcel marking the faulting instruction. Exit 0, or
// 2 when a token is bad (the other instructions are still printed).

import { disassembleText } from '../isa/index.ts';
import { parseAddress, readStdin, type Sink, type StdinReader } from './asm.ts';
import { parseOptions } from './usage.ts';

export const FAULTING_MARK = ' <-- faulting instruction';

export const DISASM_USAGE = `usage: patchlit disasm [options] [HEX...]

Disassembles RV64GC instructions and prints each as the last column of objdump -d
(mnemonic, a tab, operands), one line per instruction. Each HEX is a 16-bit
parcel (1-4 hex digits) or a 32-bit word (5-8 hex digits), optional 0x, several
per argument allowed. Tokens are laid out one after another from --at: a parcel
whose low two bits are 11 is the low half of a 32-bit instruction and the next
parcel is its high half. With no HEX, reads tokens from standard input; on a
line with "Code:" (a kernel oops) everything up to it is ignored, # starts a
comment, and a token in parentheses, like (9002), marks the faulting
instruction: its line ends with "${FAULTING_MARK.trim()}" (a warning
says so when that parcel is read as the high half of a 32-bit instruction).

options:
  --at ADDR       address of the first token, decimal or 0x-hex (default 0)
  --listing       objdump -d's three columns: address, instruction bytes, text
  --no-aliases    no pseudo-instructions (objdump -M no-aliases)
  -h, --help      this text

errors are reported as <args>:N:COL (N-th HEX argument) or <stdin>:LINE:COL.
exit status: 0 every token disassembled, 2 a bad token (the other instructions
are still printed) or bad options`;

const MASK64 = (1n << 64n) - 1n;

interface Diagnostic {
  /** A warning does not change the exit status. */
  readonly warning?: boolean;
  readonly line: number;
  readonly col: number;
  readonly message: string;
  readonly hint?: string;
}

/** A hex token where the user typed it; a bad one has no value but still takes its room. */
interface Token {
  readonly text: string;
  readonly line: number;
  readonly col: number;
  readonly size: 2 | 4;
  readonly value?: number;
  readonly faulting: boolean;
}

const TOKEN_HINT = 'a token is a 16-bit parcel (1-4 hex digits) or a 32-bit word (5-8), with an optional 0x';

/**
 * The tokens of one input line. A bad token is reported and keeps the room its digits
 * announce (up to 4: a parcel, else a word), so that the addresses after it stay right.
 */
function tokenize(text: string, line: number, diags: Diagnostic[]): Token[] {
  const code = text.indexOf('Code:');
  const start = code >= 0 ? code + 'Code:'.length : 0;
  const hash = text.indexOf('#', start);
  const body = text.slice(start, hash >= 0 ? hash : text.length);
  const tokens: Token[] = [];
  for (const m of body.matchAll(/\S+/g)) {
    const raw = m[0];
    const col = start + m.index! + 1;
    const faulting = raw.length >= 2 && raw.startsWith('(') && raw.endsWith(')');
    const inner = faulting ? raw.slice(1, -1) : raw;
    const digits = inner.replace(/^0[xX]/, '');
    const size = digits.length <= 4 ? 2 : 4;
    const fail = (message: string, hint = TOKEN_HINT) => {
      diags.push({ line, col, message, hint });
      tokens.push({ text: raw, line, col, size, faulting });
    };
    if (!faulting && (inner.startsWith('(') || inner.endsWith(')'))) {
      fail(`"${raw}": unbalanced parenthesis`, 'the faulting parcel is written in parentheses, like (9002)');
    } else if (!/^[0-9a-fA-F]+$/.test(digits)) {
      fail(`"${raw}" is not a hex number`);
    } else if (digits.length > 8) {
      fail(`"${raw}" has ${digits.length} hex digits, more than a 32-bit word`);
    } else {
      tokens.push({ text: raw, line, col, size, value: parseInt(digits, 16), faulting });
    }
  }
  return tokens;
}

interface Insn {
  readonly addr: bigint;
  readonly length: 2 | 4;
  readonly bits: number;
  readonly faulting: boolean;
}

const hex16 = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;

/** Parcels and words to instructions, each at its address; bad input becomes diagnostics. */
function layOut(tokens: readonly Token[], at: bigint, diags: Diagnostic[]): { insns: Insn[]; end: bigint } {
  const insns: Insn[] = [];
  let addr = at;
  let low: { token: Token; addr: bigint } | undefined; // a low half waiting for its high half
  const lone = (what: string) => {
    const t = low!.token;
    diags.push({
      line: t.line,
      col: t.col,
      message: `parcel ${hex16(t.value!)} is the low half of a 32-bit instruction, but ${what}`,
      hint: 'a parcel whose low two bits are 11 starts a 32-bit instruction: the next parcel is its high half',
    });
    low = undefined;
  };
  for (const t of tokens) {
    if (t.size === 2) {
      if (low) {
        // A bad high half leaves the instruction unknown: its token has its error already.
        if (t.value !== undefined) {
          const bits = (low.token.value! | (t.value << 16)) >>> 0;
          insns.push({ addr: low.addr, length: 4, bits, faulting: low.token.faulting || t.faulting });
        }
        if (t.faulting) {
          // The kernel dumps from 20 bytes before the faulting instruction, wherever that falls.
          diags.push({
            warning: true,
            line: t.line,
            col: t.col,
            message:
              `the faulting parcel is the high half of the 32-bit instruction at 0x${(low.addr & MASK64).toString(16)}: ` +
              'the input likely starts in the middle of an instruction',
            hint: 'drop the first parcel and add 2 to --at',
          });
        }
        low = undefined;
      } else if (t.value !== undefined && (t.value & 3) === 3) {
        low = { token: t, addr };
      } else if (t.value !== undefined) {
        insns.push({ addr, length: 2, bits: t.value, faulting: t.faulting });
      }
    } else {
      if (low) lone('a 32-bit word follows, not its high half');
      if (t.value !== undefined && (t.value & 3) !== 3) {
        diags.push({
          line: t.line,
          col: t.col,
          message: `word 0x${t.value.toString(16).padStart(8, '0')} is not a 32-bit instruction: its low two bits are not 11`,
          hint: 'write a compressed instruction as a parcel of 1-4 hex digits, parcels in memory order (low half first)',
        });
      } else if (t.value !== undefined) {
        insns.push({ addr, length: 4, bits: t.value >>> 0, faulting: t.faulting });
      }
    }
    addr += BigInt(t.size);
  }
  if (low) lone('no high half follows');
  return { insns, end: addr };
}

/**
 * objdump's address column: the 16 hex digits of a 64-bit address with leading zeros
 * turned to spaces, less the leading zeros every address of the section shares, dropped
 * four at a time and always keeping one (so `   0:` for a small section, all 16 digits
 * for a kernel address). The section here is everything laid out: [at, end).
 */
export function addressColumnWidth(at: bigint, end: bigint): number {
  const digits = (end & MASK64).toString(16).padStart(16, '0');
  let skip = digits.length - digits.replace(/^0+/, '').length;
  if (skip === 16 && at !== 0n) skip = 0; // the end wrapped around: keep every digit
  if (skip !== 0) skip = (skip - 1) & ~3;
  return 16 - skip;
}

/** One instruction line of `objdump -d`: address, bytes padded as objdump pads them, text. */
export function listingLine(addr: bigint, width: number, length: 2 | 4, bits: number, text: string): string {
  const address = (addr & MASK64).toString(16).padStart(width, ' ');
  // objdump fills the bytes column to the room of 8 octets: "xxxxxxxx" + 10 spaces, "xxxx" + 16.
  const bytes =
    length === 4 ? (bits >>> 0).toString(16).padStart(8, '0') + ' '.repeat(10) : bits.toString(16).padStart(4, '0') + ' '.repeat(16);
  return `${address}:\t${bytes}\t${text}`;
}

export function disasmCommand(
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
      listing: { type: 'boolean' },
      'no-aliases': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(DISASM_USAGE + '\n');
    return 0;
  }
  const at = values.at === undefined ? 0n : parseAddress(values.at);
  const where = positionals.length > 0 ? '<args>' : '<stdin>';
  const lines = positionals.length > 0 ? positionals : stdin().split(/\r?\n/);

  const diags: Diagnostic[] = [];
  const tokens = lines.flatMap((text, i) => tokenize(text, i + 1, diags));
  const { insns, end } = layOut(tokens, at, diags);

  const aliases = !values['no-aliases'];
  const width = addressColumnWidth(at, end);
  for (const insn of insns) {
    const pc = insn.addr & MASK64;
    const text = disassembleText(insn.bits, { pc, aliases });
    const line = values.listing ? listingLine(pc, width, insn.length, insn.bits, text) : text;
    out.write(line + (insn.faulting ? FAULTING_MARK : '') + '\n');
  }

  diags.sort((a, b) => a.line - b.line || a.col - b.col);
  for (const d of diags) {
    err.write(`${where}:${d.line}:${d.col}: ${d.warning ? 'warning' : 'error'}: ${d.message}\n`);
    if (d.hint) err.write(`  hint: ${d.hint}\n`);
  }
  return diags.some((d) => !d.warning) ? 2 : 0;
}
