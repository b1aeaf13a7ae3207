// The verdict stage: claims and tables judged against every explored behaviour.
export * from './types.ts';
export { judgeScenario, judgeUnit, planScenario, combineConfigs, replayMachine, worst, type JudgeOptions, type JudgePlan, type UnitResult } from './judge.ts';
export { observedLocations } from './observed.ts';
export { JudgePool, judgeAll, defaultJobs, type PoolOptions, type PoolJudgeOptions, type PoolProgress, type UnitDone } from './pool.ts';
export { scenarioStatus, statusOf, passing, statusCounts, STATUS_ORDER } from './expect.ts';
export { outcomeLines, observedLines, recordDiff } from './records.ts';
export { Names, endingText, herdStates } from './words.ts';
export { rebaseResult } from './rebase.ts';
