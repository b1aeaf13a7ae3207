// The instruction layer's public face: one table, and everything that follows from it.

export type { Decoded, DisasmOptions, SymbolTable, InsnEntry, BaseInsn } from './types.ts';
export { decode, decodeFields, encodeBase, instructionLength } from './decode.ts';
export { disassemble, disassembleText, formatTarget, fenceSetText, type Disassembly } from './disasm.ts';
export { ENTRIES, BASES } from './table.ts';
export { csrName, csrNumber, fpRegisterName } from './registers.ts';
export { registerName, registerNumber, ABI_NAMES } from './registers.ts';
export {
  Assembly,
  assemble,
  MAX_ALIGN_POWER,
  MAX_REGION_BYTES,
  type AsmDiagnostic,
  type AsmItem,
  type AsmResult,
  type AsmOptions,
  type SymbolLookup,
} from './asm/assemble.ts';
export { parseExpr, evaluate, exprSymbols, ExprError, MAX_EXPR_DEPTH, type Expr } from './asm/expr.ts';
export * from './reach.ts';
export { ALU_IMM, ALU_REG, BRANCH_TAKEN, upper } from './alu.ts';
export { compilePattern, type Pattern } from './pattern.ts';
export { closestName } from './suggest.ts';
