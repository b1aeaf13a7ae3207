// The verdict stage: claims and tables judged against every explored behaviour.
export * from './types.ts';
export { judgeScenario, replayMachine, observedLocations, worst, type JudgeOptions } from './judge.ts';
export { scenarioStatus, statusOf, passing, statusCounts } from './expect.ts';
export { outcomeLines, observedLines, recordDiff } from './records.ts';
export { Names, endingText, herdStates } from './words.ts';
