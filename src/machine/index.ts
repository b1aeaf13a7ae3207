// The machine stage: the operational model a scenario compiles to.
export * from './types.ts';
export { Machine, seedFuture, type MachineOptions, type Successor } from './machine.ts';
export { MemoryLayout } from './memory.ts';
export { FETCH_CONFIGS, FENCE_I_READINGS, DEFAULT_FENCE_I, pieceBytes, atomicityText, modelText, DEFAULT_ATOMICITY, type FetchConfig, type FetchRules, type FenceIRules } from './model.ts';
export { unsupportedInstructions, modelled, judgeableNotebook } from './check.ts';
export { Deadline, OutOfTime } from './deadline.ts';
