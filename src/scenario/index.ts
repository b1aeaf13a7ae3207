// The scenario stage: from a notebook or YAML file to compiled scenarios.
export * from './types.ts';
export { readNotebook, blocksOf, frontMatterEnd, isMarkdown, isLitmus, uniqueDiagnostics, FENCE_INFO, LITMUS_FENCE_INFO, type ImportOptions } from './load.ts';
export { compileLitmus } from './litmus/index.ts';
export { SCENARIO_SCHEMA } from './schema.ts';
export { checksNothing } from './claims.ts';
