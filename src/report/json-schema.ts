// The JSON report (json.ts, `patchlit run --format json`) described as a JSON Schema
// (draft-07, what Ajv validates by default), for programs that read it. Every object is
// closed (additionalProperties: false), so a field added to the report and not here
// fails the schema's test instead of going undocumented. schema/report.schema.json is
// this object as a file: scripts/gen-schemas.ts writes it.
//
// Its counts are of distinct outcomes (verdict/outcomes.ts), not of runs: the number of
// interleavings is the search's, and partial-order reduction does not keep it.

import { FETCH_CONFIGS } from '../machine/model.ts';
import { FENCE_I_READING_NAMES, FETCH_CONFIG_NAMES } from '../scenario/types.ts';

const VERDICTS = ['pass', 'fail', 'incomplete'] as const;
const STOP_REASONS = ['states', 'time', 'certification', 'speculation'] as const;
/** The ordering rules a disagreement between configurations can be decided by. */
const RULE_NAMES = [...new Set(Object.values(FETCH_CONFIGS).flatMap((c) => Object.keys(c.rules)))].sort();

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });

/** A closed object whose properties are all required except those named optional. */
function object(properties: Record<string, object>, optional: readonly string[] = [], description?: string) {
  return {
    type: 'object',
    ...(description ? { description } : {}),
    additionalProperties: false,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    properties,
  };
}

const array = (items: object, description?: string) => ({ type: 'array', items, ...(description ? { description } : {}) });
const text = (description?: string) => ({ type: 'string', ...(description ? { description } : {}) });

const definitions = {
  outcomeCount: {
    type: 'integer',
    minimum: 0,
    description: "A number of distinct outcomes (the configuration's `outcomes`): ways a run ends, told apart by its ending, what each task showed and the final values observed.",
  },
  verdict: { enum: VERDICTS, description: 'pass: the check holds; fail: it does not; incomplete: the search ran out of budget before deciding.' },
  status: {
    enum: ['pass', 'fail', 'xfail', 'xpass', 'incomplete'],
    description: "Against the author's expectation (LLVM lit's words): xfail failed as declared and counts as passing; xpass held though declared to fail and counts as failing.",
  },
  fetch: { enum: FETCH_CONFIG_NAMES, description: 'A fetch configuration of the model.' },
  classCounts: { type: 'object', additionalProperties: ref('outcomeCount'), description: "Outcomes showing the signature, by the table's class it falls in there (an outcome where harts show it in two classes counts in both)." },
  run: object(
    {
      steps: array(object({ hart: text('The hart that moved: the patching hart or a remote one, by name.'), text: text('What it did, in words.') })),
      ending: { type: ['string', 'null'], description: 'How the run ended; null for a run that never ends (a lasso).' },
      loopFrom: { type: 'integer', minimum: 0, description: 'A run that never ends: steps from this index on repeat forever.' },
      choices: array({ type: 'integer', minimum: 0 }, "The machine's choice at each step: the run replays from them."),
    },
    ['loopFrom'],
    'A shortest run: a counterexample to a claim, a witness of one, or an example of a signature.',
  ),
  claimCheck: object(
    {
      name: text('The claim as written: "never: crash".'),
      kind: { const: 'claim' },
      verdict: ref('verdict'),
      status: ref('status'),
      satisfied: { ...ref('outcomeCount'), description: "Outcomes in which the claim's predicate held, of the configuration's `outcomes` (of those seen, when the search stopped early)." },
      counterexample: { ...ref('run'), description: 'The shortest run that breaks a never, always or eventually claim.' },
      witness: { ...ref('run'), description: 'The shortest run that shows a sometimes claim.' },
    },
    ['counterexample', 'witness'],
  ),
  rowCheck: object(
    {
      name: text('The table row as written: "SIGNATURE -- CLASS".'),
      kind: { const: 'table-row' },
      verdict: ref('verdict'),
      status: ref('status'),
      parts: array(
        object({
          signature: text(),
          expect: text('The class claimed, or "impossible".'),
          verdict: ref('verdict'),
          observed: { ...ref('outcomeCount'), description: 'Outcomes in which some hart of the table shows the signature.' },
          classes: ref('classCounts'),
        }),
        "The row's own signature, then its \"would be\" alternatives.",
      ),
      counterexample: { ...ref('run'), description: 'A signature claimed impossible that happens: its shortest run.' },
    },
    ['counterexample'],
  ),
  outcome: object(
    {
      ending: text('How the runs of this outcome end.'),
      calls: {
        type: 'object',
        description: 'Each remote hart (by name): the stubs it called, in order, and from where.',
        additionalProperties: array(object({ target: text(), from: text() })),
      },
      final: text('Final values of the observed locations, the way herd7 prints a state.'),
      depth: { type: 'integer', minimum: 0, description: 'Steps of the shortest run that ends so.' },
    },
    ['final'],
    'A distinct outcome: its ending, the calls and what else each task showed (what the claims and the table look at), the final values. Outcomes that differ only in what is not printed here (an executed sequence, a signature) are listed apart with the same fields.',
  ),
  configuration: object(
    {
      fetch: ref('fetch'),
      verdict: ref('verdict'),
      checks: array({ oneOf: [ref('claimCheck'), ref('rowCheck')] }, 'Each claim, then each row of the table.'),
      signatures: {
        type: 'object',
        description: "Every signature observed over the table's alphabet.",
        additionalProperties: object({ count: { ...ref('outcomeCount'), description: 'Outcomes in which some hart of the table shows it.' }, classes: ref('classCounts'), claimed: text('What a row of the table claims of it.') }, ['claimed']),
      },
      unlisted: array(text(), 'Observed signatures no row of the table mentions.'),
      outcomes: array(ref('outcome'), 'Each distinct outcome: what the counts count.'),
      stats: object(
        {
          states: { type: 'integer', minimum: 0, description: 'States the search explored (absent when the time budget cut it off: how far it got then is no part of a report that must be the same each run).' },
          transitions: { type: 'integer', minimum: 0 },
          terminals: { type: 'integer', minimum: 0 },
          maxDepth: { type: 'integer', minimum: 0 },
          complete: { type: 'boolean', description: 'The search explored every state.' },
          stopped: { enum: STOP_REASONS, description: 'Why an incomplete search stopped.' },
          rounds: { type: 'integer', minimum: 1 },
          searchedAs: { enum: FETCH_CONFIG_NAMES, description: "The configuration whose search this one shared: its rules never ordered a step of that search differently, so the runs are the same (the figures above are that search's)." },
        },
        ['stopped', 'states', 'transitions', 'terminals', 'maxDepth', 'rounds', 'searchedAs'],
      ),
    },
    [],
    'The scenario judged under one fetch configuration.',
  ),
  scenario: object({
    name: text(),
    verdict: { ...ref('verdict'), description: 'The worst verdict over the configurations.' },
    status: { ...ref('status'), description: "The scenario against its author's expectations: declared failures, recorded observations." },
    records: array(
      object({
        kind: { enum: ['outcomes', 'observed'] },
        line: { type: 'integer', minimum: 1 },
        recorded: array(text(), 'The lines the notebook holds.'),
        observed: array(text(), 'The lines this run saw.'),
        matches: { type: 'boolean' },
      }),
      'Recorded observations (outcomes:, the table\'s observed:) against what the run saw.',
    ),
    model: object({
      fetch: array(ref('fetch')),
      stores: { enum: ['rvwmo', 'sc'] },
      atomicity: {
        oneOf: [
          object({ kind: { enum: ['ziccif', 'parcel'] } }),
          object({ kind: { const: 'line' }, bytes: { type: 'integer', minimum: 1 } }),
        ],
      },
      fenceI: { enum: [...FENCE_I_READING_NAMES], description: "What a hart's own FENCE.I orders for other harts: transitive (the ifetch suite's axioms) or fetch-only (the Zifencei chapter's prose)." },
    }),
    warnings: array(
      object(
        {
          file: text('The file the step was written in, when it is not the notebook: one its scenario imports.'),
          line: { type: 'integer', minimum: 1 },
          col: { type: 'integer', minimum: 1 },
          message: text(),
          hint: text('What to do about it.'),
        },
        ['file', 'hint'],
      ),
      'Problems that do not stop a run, such as patch steps outside the Ziccif safe harbour.',
    ),
    configurations: array(ref('configuration')),
    disagreements: array(
      object({
        claim: text('The claim as written.'),
        failsUnder: array(ref('fetch')),
        holdsUnder: array(ref('fetch')),
        decidedBy: array(object({ config: ref('fetch'), rules: array({ enum: RULE_NAMES }) }), 'Configurations on the other side, with the ordering rules they have that the rest lack.'),
      }),
      'Claims that hold under some configurations and fail under others.',
    ),
    hardware: array(
      object(
        {
          machine: text(),
          results: text('The histogram file, as the notebook names it (relative to the notebook).'),
          config: text('The configuration of the model it is held against: the fetch configuration and atomicity.'),
          status: { ...ref('status'), description: 'fail on an outcome the model forbids, xfail when the entry declares one (its xfail), xpass when it declares one and there is none.' },
          xfail: text('Why the machine is known to show an outcome the model forbids, as the entry declares it.'),
          iterations: { type: 'integer', minimum: 0 },
          stopped: text('Why the machine stopped before its last iteration (a task that did not end with interrupts off).'),
          modelIncomplete: { type: 'boolean', description: "The model's search ran out of budget: an outcome it did not see may still be allowed." },
          allowed: array(object({ outcome: text(), count: { type: 'integer', minimum: 0 }, first: { type: 'integer', minimum: 0 } }, ['first']), "The model's outcomes, each with how often the machine showed it and the first iteration that did."),
          forbidden: array(object({ outcome: text(), count: { type: 'integer', minimum: 1 }, first: { type: 'integer', minimum: 0 } }, ['first']), 'Outcomes the machine showed that the model does not allow: each fails the scenario, unless the entry declares them.'),
        },
        ['xfail', 'stopped'],
      ),
      "The scenario's `hardware:` histograms held against the model (present only when it names some).",
    ),
  }, ['hardware']),
};

export const REPORT_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:patchlit:schema:report',
  title: 'patchlit JSON report',
  description: 'What `patchlit run --format json` prints: every scenario of every file, judged under each fetch configuration.',
  ...object({ files: array(object({ path: text(), scenarios: array(ref('scenario')) })) }),
  definitions,
} as const;
