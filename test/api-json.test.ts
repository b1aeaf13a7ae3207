// Results that JSON.stringify takes as they are (src/serialize.ts): a run's result is the
// JSON report `patchlit run --format json --out -` prints, byte for byte, and validates
// against schema/report.schema.json; a file, a scenario and a configuration of it are
// their parts of that report. The results' own fields stay as they were (bigints and all).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, runFile } from '../src/api.ts';
import { configJson, fileJson, scenarioJson } from '../src/report/json.ts';
import { Names } from '../src/report/describe.ts';
import { inProcess, workspace } from './cli/command.ts';
import { oneWordTable, PATCH_ONE_WORD } from './helpers.ts';
import { validateReport as validate } from './report-schema.ts';

const errorsOf = (r: unknown) => (validate(r) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

/** A failing claim with a counterexample, a table, a witness: addresses and final values (bigints) in every part. */
const ONE_WORD = `${PATCH_ONE_WORD.trim()}
claims:
  - never: crash
  - always: { calls: old_target }
  - sometimes: { calls: new_target }
${oneWordTable('    0 -- impossible\n')}
`;

const files = () => workspace({ 'scenarios/one.yaml': ONE_WORD, 'scenarios/lib.yaml': 'symbols:\n  x: 0x1000\n', 'scenarios/two.md': `# Two\n\n\`\`\`patchlit\n${ONE_WORD.replace('name: one-word', 'name: two')}\`\`\`\n` });

describe('JSON.stringify of what the library returns', () => {
  it('a run: the JSON report the command prints, byte for byte, valid against its schema', async () => {
    const dir = files();
    const paths = [join(dir, 'scenarios')];
    const result = await run(paths, { configs: ['ziccif-only', 'ziccid'], jobs: 1 });
    const text = JSON.stringify(result, null, 2);
    const cli = await inProcess(['run', ...paths, '--model', 'ziccif-only,ziccid', '--format', 'json', '--out', '-', '--jobs', '1'], dir);
    expect(cli.code).toBe(1);
    expect(`${text}\n`).toBe(cli.stdout);
    expect(errorsOf(JSON.parse(text))).toEqual([]);
    // The library file holds no scenario: not in the report, as not in the command's.
    expect(JSON.parse(text).files.map((f: { path: string }) => f.path)).toEqual([join(dir, 'scenarios/one.yaml'), join(dir, 'scenarios/two.md')]);
  });

  it('its files, a scenario and a configuration: their parts of the report', async () => {
    const result = await run(join(files(), 'scenarios'), { configs: ['ziccid'], jobs: 1 });
    const [file] = result.files;
    const [scenario] = file.results;
    const roundTrip = (x: unknown) => JSON.parse(JSON.stringify(x));
    expect(roundTrip(result.files)).toEqual(roundTrip(result.files.map(fileJson)));
    expect(roundTrip(file)).toEqual({ path: file.path, scenarios: roundTrip(file.results.map(scenarioJson)) });
    expect(roundTrip(scenario)).toEqual(roundTrip(scenarioJson(scenario)));
    expect(roundTrip(scenario.configs[0])).toEqual(roundTrip(configJson(scenario, scenario.configs[0], new Names(scenario.scenario))));
    // Addresses as the report writes them: by name and offset.
    expect(JSON.stringify(scenario)).toContain('"from":"func"');
  });

  it('leaves the results as they are: their data, bigints and all, with toJSON out of sight', async () => {
    const result = await run(join(files(), 'scenarios'), { configs: ['ziccid'], jobs: 1 });
    const scenario = result.files[0].results[0];
    expect(typeof scenario.configs[0].outcomes.flatMap((o) => o.tasks.flatMap((t) => t.calls))[0].site).toBe('bigint');
    expect(Object.keys(result)).toEqual(['files', 'passed', 'failed', 'xfail', 'xpass', 'incomplete']);
    expect(Object.keys(result.files[0])).toEqual(['path', 'notebook', 'results']);
    expect(Object.keys(scenario)).not.toContain('toJSON');
    // A spread copy is plain data again: JSON cannot take its bigints.
    expect(() => JSON.stringify({ ...scenario })).toThrow(/BigInt/);
  });

  it('runFile: the file\'s part of the report, and its Markdown report beside', () => {
    const dir = files();
    const file = join(dir, 'scenarios/one.yaml');
    const judged = runFile(file, { configs: ['ziccid'] });
    expect(JSON.parse(JSON.stringify(judged))).toEqual({ path: file, scenarios: [expect.objectContaining({ name: 'one-word', status: 'fail' })] });
    expect(errorsOf({ files: [JSON.parse(JSON.stringify(judged))] })).toEqual([]);
    expect(judged.markdown).toContain('**patchlit** `one-word`: **FAIL** under ziccid');
  });
});
