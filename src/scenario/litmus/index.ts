// Front end for herd7's RISC-V litmus tests (self-modifying-code conventions): parse, and
// compile to a Scenario. The proposition parser is shared with notebooks' `final:` predicates.
export { parseLitmus, type LitmusAst, type InitEntry, type InitTarget, type ThreadAst, type CellAst, type ConditionAst, type ValueAst } from './parse.ts';
export { compileLitmus, DATA_BASE } from './compile.ts';
export {
  parseCondition,
  parseProposition,
  resolveCondition,
  resolveLocation,
  comparisons,
  ResolveError,
  type ConditionResolver,
  type PropSyntax,
  type LocationSyntax,
  type ValueText,
} from './condition.ts';
export { parseValue, type ValueSyntax } from './value.ts';
export { threadBase } from './threads.ts';
export type { TextOrigin } from './text.ts';
