// The machine stage: the operational model a scenario compiles to.
export * from './types.ts';
export { Machine, seedFuture, type MachineOptions, type Successor } from './machine.ts';
export { MemoryLayout } from './memory.ts';
export { FETCH_CONFIGS, pieceBytes, atomicityText, modelText, DEFAULT_ATOMICITY, type FetchConfig, type FetchRules } from './model.ts';
export { unsupportedInstructions, modelled } from './check.ts';
export { Deadline, OutOfTime } from './deadline.ts';
