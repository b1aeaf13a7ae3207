// `patchlit litmus FILE|DIR...`: herd7's RISC-V litmus tests (with the self-modifying
// code conventions of the ifetch suite), run under each fetch configuration, printed as
// herd7 prints its outcome block. `--kinds` compares with a kinds file (herd's list of
// Allow/Forbid per test) and prints every disagreement.

import { readFileSync } from 'node:fs';
import { herdBlock, litmusVerdict } from '../report/herd.ts';
import { SUITE_CONFIGS, type FetchConfigName, type Scenario } from '../scenario/index.ts';
import { compileLitmus } from '../scenario/litmus/index.ts';
import { JudgePool } from '../verdict/index.ts';
import { collectLitmusFiles, compileAll } from './files.ts';
import { jobsOption, modelList } from './judge-options.ts';
import { UsageError } from './usage.ts';
import { parseOptions } from './usage.ts';

export const LITMUS_USAGE = `usage: patchlit litmus [options] FILE|DIR...

Runs herd7 RISC-V litmus tests (Variant=self, instr:"...", P1:label) under each fetch
configuration and prints herd7's outcome block for each. A directory with an @all
index runs the tests it lists.

options:
  --model NAMES        configurations to run under (comma-separated; default the
                       suite's five: ziccif-only, ziccid, ir-decode-w, ir-decode,
                       ir3-fetch, the last the ISA manual's current text; also
                       coherent)
  --kinds [NAME=]FILE  compare with a kinds file ("TEST Allow|Forbid" per line) for
                       configuration NAME (the only --model when NAME is left out);
                       may be given once per configuration
  --quiet              print only the disagreements and the summary
  -j, --jobs N         judge N tests (or configurations) at once, in worker
                       threads (default: one per core); 1 judges in this thread.
                       The output does not depend on N
  -h, --help           this text

exit status: 0 when every compared verdict agrees, 1 on a disagreement, 2 on bad
input or a search that could not finish`;

interface KindsFile {
  readonly config: FetchConfigName;
  readonly file: string;
  readonly verdicts: ReadonlyMap<string, string>;
}

function readKinds(spec: string, configs: readonly FetchConfigName[]): KindsFile {
  const eq = spec.indexOf('=');
  let config: string;
  let file: string;
  if (eq > 0 && !spec.slice(0, eq).includes('/')) {
    config = spec.slice(0, eq);
    file = spec.slice(eq + 1);
  } else {
    if (configs.length !== 1) throw new UsageError(`--kinds ${spec}: say which configuration it is for (--kinds NAME=FILE), or run one --model`);
    config = configs[0];
    file = spec;
  }
  if (!configs.includes(config as FetchConfigName)) throw new UsageError(`--kinds ${spec}: "${config}" is not among the configurations run (${configs.join(', ')})`);
  const verdicts = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [name, kind] = line.trim().split(/\s+/);
    if (name && kind) verdicts.set(name, kind);
  }
  return { config: config as FetchConfigName, file, verdicts };
}

export async function litmusCommand(argv: readonly string[], out = process.stdout, err = process.stderr): Promise<number> {
  const { values, positionals } = parseOptions({
    args: [...argv],
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      kinds: { type: 'string', multiple: true },
      quiet: { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(LITMUS_USAGE + '\n');
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('name at least one litmus file or directory');
  const configs = modelList(values.model) ?? [...SUITE_CONFIGS];
  const kinds = (values.kinds ?? []).map((k) => readKinds(k, configs));
  const jobs = jobsOption(values.jobs);

  let files: string[];
  try {
    files = collectLitmusFiles(positionals);
  } catch (e) {
    err.write(`patchlit: ${(e as Error).message}\n`);
    return 2;
  }
  if (!files.length) {
    err.write(`patchlit: no litmus tests in ${positionals.join(', ')}\n`);
    return 2;
  }
  const compiled = compileAll(files, compileLitmus, err);
  if (!compiled) return 2;
  const tests: Scenario[] = compiled.map((c) => c.value);

  const disagreements: string[] = [];
  const agreed = new Map<FetchConfigName, number>();
  let incomplete = false;
  // Every test queued at once; printed in order, each once it is judged.
  const pool = new JudgePool({ jobs });
  try {
    const judged = tests.map((test) => pool.judge(test, { configs }));
    for (const [i, test] of tests.entries()) {
      for (const c of (await judged[i]).configs) {
        if (!values.quiet) out.write(`Model ${c.model.fetch}\n${herdBlock(test, c).join('\n')}\n\n`);
        if (!c.complete) incomplete = true;
        const got = litmusVerdict(test, c).kind;
        for (const k of kinds.filter((x) => x.config === c.model.fetch)) {
          const want = k.verdicts.get(test.litmus!.name);
          if (want === undefined) continue;
          if (want === got && c.complete) agreed.set(k.config, (agreed.get(k.config) ?? 0) + 1);
          else disagreements.push(`${test.litmus!.name} under ${c.model.fetch}: patchlit says ${c.complete ? got : 'incomplete'}, ${k.file} says ${want}`);
        }
      }
    }
  } finally {
    await pool.close();
  }
  for (const k of kinds) {
    const compared = tests.filter((t) => k.verdicts.has(t.litmus!.name)).length;
    out.write(`${k.config}: ${agreed.get(k.config) ?? 0} of ${compared} verdicts agree with ${k.file}\n`);
  }
  for (const d of disagreements) out.write(`disagreement: ${d}\n`);
  if (incomplete) return 2;
  return disagreements.length ? 1 : 0;
}
