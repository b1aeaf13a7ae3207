// How many random cases a property runs: npm test's fixed seeds and counts keep it in its
// time budget; `npm run fuzz` (PATCHLIT_FUZZ=N) runs N times as many from a fresh seed
// each time, printed so that a failure can be replayed (PATCHLIT_FUZZ_SEED).

export const FUZZ_SCALE = Number(process.env.PATCHLIT_FUZZ ?? 1);
/** Set by `npm run fuzz`: longer runs, fresh seeds. */
export const FUZZING = process.env.PATCHLIT_FUZZ !== undefined;

/** fast-check's numRuns and seed for a property that runs `n` cases under npm test from `seed`; `what` names it in the line printed. */
export function fuzzRuns(what: string, n: number, seed: number): { numRuns: number; seed: number } {
  const s = FUZZING ? Number(process.env.PATCHLIT_FUZZ_SEED ?? Date.now() % 2 ** 31) : seed;
  const numRuns = Math.round(n * FUZZ_SCALE);
  if (FUZZING) console.log(`${what}: ${numRuns} runs, seed ${s}`);
  return { numRuns, seed: s };
}
