// The hw stage: a scenario as a program for a real machine, and what the machine did held against the model.
export * from './types.ts';
export { emitProgram, hartsNeeded } from './emit.ts';
export { ELF, CC, QEMU, OBJCOPY, IMAGE } from './build.ts';
export { QEMU_RAM_BASE } from './layout.ts';
export { TARGETS, TARGET_NAMES, defaultTarget, type TargetRules } from './targets.ts';
export { unsupportedFeatures, unsupportedDiagnostics } from './support.ts';
export { parseHistogram, HistogramError } from './histogram.ts';
export { compareHistogram, comparisonText, modelOutcomes, sameOutcome, machineText } from './compare.ts';
export { withHardware, hardwareFailure, hardwareVerdict } from './hardware.ts';
export { histogramOf, runOnQemu, toolsMissing, type QemuRun } from './qemu.ts';
