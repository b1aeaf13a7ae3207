// The values herd's self-modifying-code tests write, in the initial state and in the final
// condition alike: a number, an instruction's encoding, a label's address, a location's address.

import { excerpt } from './text.ts';

export type ValueSyntax =
  | { readonly kind: 'int'; readonly value: bigint }
  /** `instr:"li s0, 2"`: `asm` is the instruction, `asmOffset` where it starts in the value text. */
  | { readonly kind: 'instr'; readonly asm: string; readonly asmOffset: number }
  /** `P1:mod`: the address of label `mod` in thread P1's code. */
  | { readonly kind: 'label'; readonly thread: number; readonly label: string }
  /** `x`: the address of location x. */
  | { readonly kind: 'loc'; readonly name: string };

// One line: herd's strings never span lines.
const INSTR = /^instr\s*:\s*"([^"\n]*)"$/;
const LABEL = /^P(\d+)\s*:\s*([A-Za-z_.$][\w.$]*)$/;
const INT = /^-?(?:0x[0-9a-f]+|0b[01]+|\d+)$/i;
export const NAME = /^[A-Za-z_][\w.]*$/;

/** The value a text writes, or why it is none. */
export function parseValue(text: string): ValueSyntax | { readonly error: string } {
  const instr = INSTR.exec(text);
  if (instr) return { kind: 'instr', asm: instr[1], asmOffset: text.indexOf('"') + 1 };
  const label = LABEL.exec(text);
  if (label) return { kind: 'label', thread: Number(label[1]), label: label[2] };
  if (INT.test(text)) {
    const neg = text.startsWith('-');
    const v = BigInt(neg ? text.slice(1) : text);
    return { kind: 'int', value: neg ? -v : v };
  }
  if (NAME.test(text)) return { kind: 'loc', name: text };
  return { error: `"${excerpt(text)}" is not a value: write a number, instr:"<instruction>", P<k>:<label> or a location name` };
}
