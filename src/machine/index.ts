// The machine stage: the operational model a scenario compiles to.
export * from './types.ts';
export { Machine } from './machine.ts';
export { MemoryLayout } from './memory.ts';
export { FETCH_MODELS, type FetchModel } from './fetch.ts';
export { unsupportedInstructions, modelled } from './check.ts';
