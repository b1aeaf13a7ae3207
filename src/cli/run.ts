// `patchlit run FILE|DIR...`: judge every scenario, write the reports, print one line
// per scenario and a summary; exit 0 when every check is as expected, 1 when one is not,
// 2 on bad input. A state space over its budget is bad input too: its verdict is
// "incomplete", never a pass, and the command says where to raise the budget.

import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { warningText } from '../report/describe.ts';
import type { InputError } from '../report/junit.ts';
import { DETAILS, MIN_WIDTH, type Detail } from '../report/layout.ts';
import { count } from '../report/markdown.ts';
import { closestName } from '../isa/index.ts';
import { FETCH_CONFIG_NAMES, readNotebook, ScenarioError, type FetchConfigName, type Notebook } from '../scenario/index.ts';
import { JudgePool, rebaseResult, scenarioStatus, statusCounts, type ConfigResult, type RecordCheck, type ScenarioResult } from '../verdict/index.ts';
import { withHardware } from '../hw/index.ts';
import { formatDiagnostic, textIfReadable } from './diagnostics.ts';
import { collectFiles, compileNotebooks, diagnosticProblem, fileErrorReason, fileErrorText, noFilesText, nothingToJudge } from './files.ts';
import { formatList, outputProblems, outputs, reportToRead, stdoutReport, type FileResults, type Output } from './outputs.ts';
import { linesProblem, listed, nameMatcher, parseShard, selectEntries, shardFiles, splitLine } from './select.ts';
import { colours, configsText, failureDetails, poolFigures, ProgressLine, statusWord, summary, type Colours } from './terminal.ts';
import { updateRecords } from './update.ts';
import { jobsOption, modelList } from './judge-options.ts';
import { parseOptions, UsageError } from './usage.ts';
import { watchFiles } from './watch.ts';
import { canonicalPath, directoryProblem, replaceProblem, writeAtomically, WriteRefused, writeHoldingSignals } from './write.ts';

export { UsageError } from './usage.ts';

export const RUN_USAGE = `usage: patchlit run [options] FILE[:LINE]|DIR...

Explores every behaviour of each scenario (Markdown notebooks with \`\`\`patchlit
blocks, YAML files, litmus tests), judges its claims and writes its reports.
FILE:LINE (or FILE:LINE:COL, as a diagnostic gives it) runs the scenario whose
block holds that line.

options:
  --format LIST        md (default), text, html, json, junit; several with commas
  --out DIR            where reports go (default: reports); - for stdout (one format)
  --width N            columns of the text report and of the runs printed
                       here (default 72, for mail)
  --detail full        the text report and the runs printed here leave nothing
                       out (default brief: a long run by its first and last
                       steps, the reasons of checks that fail as expected left
                       to the notebook)
  --update             rewrite recorded observations (outcomes:, observed:) in the
                       notebooks from what this run saw; never when CI is set
  --filter PATTERN     only scenarios whose name matches (* matches anything;
                       repeatable)
  --shard K/N          only the Kth of N shares of the notebooks (a CI matrix)
  --seed N             run the scenarios in an order shuffled by N
  --watch              run again whenever a scenario file changes
  --quiet              print only what fails and the last summary line
  --model NAMES        judge under these fetch configurations (comma-separated:
                       ${FETCH_CONFIG_NAMES.join(', ')})
                       instead of each scenario's own
  --max-states N       stop exploring after N states (the verdict is then incomplete)
  --timeout SECONDS    stop judging a scenario after this long, under all its
                       configurations, the searches inside each step
                       (certification) and after it (liveness) included (likewise)
  --no-reduction       search every interleaving: no partial-order reduction (the
                       verdicts, outcomes and signatures are the same; only the
                       states explored and the runs shown may differ)
  -j, --jobs N         judge N configurations at once, each scenario's and the
                       next scenarios', in worker threads (default: one per core);
                       1 judges in this thread. Reports do not depend on N
  -h, --help           this text

exit status: 0 every check as expected (passes, and declared failures that fail),
1 a check fails or a recorded observation changed, 2 bad input, no scenario
selected, a search over its budget (the scenario's verdict is then "incomplete"),
or a report or notebook it may not write (then it writes none), 3 an internal error`;

function positiveNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} needs a positive number, not "${v}"`);
  return n;
}

/** `CI` set to anything but "", 0 or false, as CI services and most tools read it. */
export function inCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

interface RunOptions {
  readonly paths: ReadonlyArray<{ path: string; line?: number }>;
  readonly formats: ReturnType<typeof formatList>;
  readonly out: string;
  readonly width: number;
  readonly detail: Detail;
  readonly update: boolean;
  readonly quiet: boolean;
  readonly watch: boolean;
  readonly filter: readonly string[];
  readonly shard?: { index: number; count: number };
  readonly seed?: number;
  readonly configs?: FetchConfigName[];
  readonly budget: { maxStates?: number; maxSeconds?: number };
  readonly jobs: number;
  /** Partial-order reduction (default on; --no-reduction). */
  readonly reduction: boolean;
}

function parseRunArgs(argv: readonly string[], env: NodeJS.ProcessEnv): RunOptions | 'help' {
  const { values, positionals } = parseOptions({
    args: [...argv],
    allowPositionals: true,
    options: {
      format: { type: 'string', multiple: true },
      out: { type: 'string', default: 'reports' },
      width: { type: 'string' },
      detail: { type: 'string' },
      update: { type: 'boolean', short: 'u' },
      quiet: { type: 'boolean', short: 'q' },
      watch: { type: 'boolean', short: 'w' },
      filter: { type: 'string', short: 't', multiple: true },
      shard: { type: 'string' },
      seed: { type: 'string' },
      'max-states': { type: 'string' },
      model: { type: 'string' },
      timeout: { type: 'string' },
      jobs: { type: 'string', short: 'j' },
      'no-reduction': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length === 0) throw new UsageError('name at least one scenario file or directory');
  if (values.update && inCI(env)) throw new UsageError('--update writes into notebooks, which never happens in CI (CI is set): run it on your own machine and commit the result');
  const formats = formatList(values.format ?? []);
  if (values.out === '') throw new UsageError('--out needs a directory (or - for stdout), not an empty name');
  if (values.out === '-' && formats.length > 1) throw new UsageError('--out - prints one format: name only one with --format');
  if (values.out === '-' && formats[0] === 'html') throw new UsageError('--out - cannot take html: its pages link assets; write them under a directory');
  const width = positiveNumber('width', values.width) ?? 72;
  if (width < MIN_WIDTH) throw new UsageError(`--width must be at least ${MIN_WIDTH} columns`);
  const detail = values.detail ?? 'brief';
  if (!(DETAILS as readonly string[]).includes(detail)) throw new UsageError(`--detail takes ${DETAILS.join(' or ')}, not "${detail}"`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new UsageError(`--seed takes an integer, not "${values.seed}"`);
  const maxStates = positiveNumber('max-states', values['max-states']);
  const maxSeconds = positiveNumber('timeout', values.timeout);
  const configs = modelList(values.model);
  const jobs = jobsOption(values.jobs);
  return {
    paths: positionals.map((p) => splitLine(p)),
    formats,
    out: values.out!,
    width: Math.floor(width),
    detail: detail as Detail,
    update: values.update ?? false,
    quiet: values.quiet ?? false,
    watch: values.watch ?? false,
    filter: values.filter ?? [],
    ...(values.shard !== undefined ? { shard: parseShard(values.shard) } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(configs ? { configs } : {}),
    budget: { ...(maxStates ? { maxStates } : {}), ...(maxSeconds ? { maxSeconds } : {}) },
    jobs,
    reduction: !values['no-reduction'],
  };
}

/** A small seeded generator (mulberry32): the same seed shuffles the same way everywhere. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

interface Streams {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

/** Why a configuration stopped early, and which budget to raise. */
function incompleteMessage(r: ScenarioResult, c: ConfigResult): string {
  const s = r.scenario;
  const at = `${s.pos.file}:${s.pos.line}:${s.pos.col}`;
  const [why, raise] =
    c.stopped === 'time'
      ? [`is over its time budget (${count(c.stats.states)} states explored)`, 'raise --timeout or budget.seconds']
      : c.stopped === 'states'
        ? [`is over its state budget (${count(c.stats.states)} states explored)`, 'raise --max-states or budget.states']
        : c.stopped === 'certification'
          ? ["needs a promise certified beyond the certification search's budget", "make the harts' code between a load and a later store shorter"]
          : ['keeps finding new values speculative fetches could read', 'bound the values stores write into code'];
  return `${at}: error: scenario "${s.name}" under ${c.model.fetch} ${why}: its verdict is incomplete\n  hint: ${raise}`;
}

/** Why a run selected no scenario, and what to do: the message of exit status 2. */
function nothingSelected(options: RunOptions, found: number, compiled: ReadonlyArray<{ file: string; value: Notebook }>): string {
  if (!found) return noFilesText(options.paths.map((p) => p.path));
  if (options.shard && !compiled.length) return `patchlit: --shard ${options.shard.index}/${options.shard.count} selects no file: there ${found === 1 ? 'is only 1' : `are only ${found}`}\n  hint: split them into at most ${found} shard${found === 1 ? '' : 's'} (--shard K/${found})`;
  const names = compiled.flatMap((c) => c.value.entries.map((e) => e.scenario.name));
  if (!names.length) return `patchlit: ${nothingToJudge(compiled.map((c) => c.file), true).message}`;
  const near = options.filter.map((f) => closestName(f.replace(/\*/g, ''), names)).find((n) => n !== undefined);
  // Like vitest's "No test files found", with what there is to choose from.
  const hint = near ? `did you mean "${near}"?` : `the scenarios are ${listed(names)}`;
  return `patchlit: --filter ${options.filter.map((f) => `"${f}"`).join(', ')} matches none of the ${names.length} scenario${names.length === 1 ? '' : 's'}\n  hint: ${hint}`;
}

/**
 * One pass over the files: select, judge, update, write reports, print lines. Returns the
 * exit status. `only`: the files to judge (resolved), of those collected; `dependencies`
 * receives the files each one imports.
 */
async function runOnce(options: RunOptions, io: Streams, only?: ReadonlySet<string>, dependencies?: Map<string, ReadonlySet<string>>): Promise<number> {
  const started = Date.now();
  const c = colours(io.out, io.env);
  let files: string[];
  const linesOf = new Map<string, number[]>();
  try {
    files = [];
    for (const p of options.paths) {
      for (const f of collectFiles([p.path])) {
        if (!files.includes(f)) files.push(f);
        if (p.line !== undefined) linesOf.set(f, [...(linesOf.get(f) ?? []), p.line]);
      }
    }
  } catch (e) {
    io.err.write(`patchlit: ${fileErrorText(e)}\n`);
    return 2;
  }
  // Where the reports go must take them: known before any judging.
  const outProblem = options.out === '-' ? undefined : directoryProblem(options.out);
  if (outProblem) {
    io.err.write(`patchlit: --out ${outProblem}\n`);
    return 2;
  }
  const found = files.length;
  files = shardFiles(files, options.shard);
  if (only) files = files.filter((f) => only.has(resolve(f)));
  // Read everything first: bad input anywhere stops the run before any exploring.
  const problems: InputError[] = [];
  const compiled = compileNotebooks(files, io.err, dependencies, problems);
  if (!compiled) return reportInputErrors(options, io, problems, files);
  const matches = nameMatcher(options.filter);
  const work: Array<{ file: string; notebook: Notebook; entry: number }> = [];
  const selected = new Map<string, number[]>();
  for (const { file, value: notebook } of compiled) {
    const problem = linesProblem(notebook, linesOf.get(file) ?? []);
    if (problem) {
      io.err.write(`patchlit: ${problem}\n`);
      return 2;
    }
    const picked = selectEntries(notebook, linesOf.get(file) ?? [], matches);
    selected.set(file, picked);
    for (const entry of picked) work.push({ file, notebook, entry });
  }
  // Nothing to judge is a mistake (a filter's typo, a shard past the notebooks, a wrong
  // directory), never a green run: vitest fails on no tests too. Not so for a --watch
  // rerun, which judges only what changed.
  if (!work.length && !only) {
    io.err.write(nothingSelected(options, found, compiled) + '\n');
    return 2;
  }
  const order = options.seed === undefined ? work : shuffled(work, options.seed);

  const toStdout = options.out === '-';
  const log = toStdout ? io.err : io.out;
  const progress = new ProgressLine(io.err);
  const results = new Map<string, ScenarioResult>();
  // --update: the recordings each notebook holds that this run saw otherwise.
  const stale = new Map<string, RecordCheck[]>();
  const warned = new Set<string>();
  // Every scenario is queued at once, so that the threads always have work; the lines are
  // printed in the run's order all the same, each once its scenario is judged.
  const pool = new JudgePool({
    jobs: options.jobs,
    onProgress: (p) => {
      const { label, figures } = poolFigures(p);
      progress.update(label, figures);
    },
  });
  try {
    const judged = order.map(({ notebook, entry }) => pool.judge(notebook.entries[entry].scenario, { budget: options.budget, reduction: options.reduction, ...(options.configs ? { configs: options.configs } : {}) }));
    for (const [i, { file, notebook, entry }] of order.entries()) {
      const { scenario } = notebook.entries[entry];
      for (const w of scenario.warnings ?? []) {
        const text = `${w.pos.file}:${w.pos.line}:${w.pos.col}: warning: ${warningText(w)}`;
        if (!warned.has(text) && !options.quiet) io.err.write(text + '\n');
        warned.add(text);
      }
      let r: ScenarioResult;
      try {
        r = await judged[i];
      } catch (e) {
        // compileNotebooks found what the judge would refuse, but a scenario error is never a crash.
        if (!(e instanceof ScenarioError)) throw e;
        progress.clear();
        const found = e.diagnostics.map((d) => diagnosticProblem(d, textIfReadable));
        for (const d of found) io.err.write(d.text + '\n');
        return reportInputErrors(options, io, found, files);
      }
      progress.clear();
      if (options.update && r.records.some((x) => !x.matches)) {
        stale.set(file, [...(stale.get(file) ?? []), ...r.records.filter((x) => !x.matches)]);
        // What the run saw becomes the recording: the scenario is judged against it.
        const records = r.records.map((x) => ({ ...x, matches: true }));
        r = { ...r, records, status: scenarioStatus(scenario, r.configs, records) };
      }
      r = withHardware(r);
      results.set(`${file}#${entry}`, r);
      const where = `${scenario.pos.file}:${scenario.pos.line}`;
      const states = r.configs.reduce((n, x) => n + x.stats.states, 0);
      const bad = r.status === 'fail' || r.status === 'xpass' || r.status === 'incomplete';
      if (!options.quiet || bad) log.write(`${statusWord(r.status, c)} ${scenario.name}  ${where}  ${configsText(r.configs)} · ${count(states)} states\n`);
      // A notebook judged in part gets no report file of its own (finish says so), only its part of junit.xml; none goes to a file with --out -.
      const whole = selected.get(file)!.length === notebook.entries.length;
      const report = options.out !== '-' ? reportToRead(file, options.formats, options.out, whole) : undefined;
      if (bad) for (const l of failureDetails(r, c, { width: options.width, full: options.detail === 'full', ...(report ? { report } : {}) })) log.write(l + '\n');
      for (const x of r.configs) if (!x.complete) io.err.write(incompleteMessage(r, x) + '\n');
    }
  } finally {
    progress.clear();
    await pool.close();
  }
  return finish(options, io, c, compiled, selected, results, stale, log, started);
}

/** What the run's files should become: notebooks rewritten by --update, and reports; or why they cannot. */
interface WritePlan {
  readonly notebooks: ReadonlyArray<{ file: string; text: string; kinds: string }>;
  readonly reports: readonly Output[];
  /** The results as the reports show them: a notebook --update rewrote, as it now reads. */
  readonly shown: readonly FileResults[];
}

/**
 * The files' results with each notebook --update rewrites read again from its new text,
 * so that its report repeats the notebook as it now is, its recordings matching. The runs
 * are the same (only recorded lines changed), so the judgement carries over.
 */
function asRewritten(compiled: ReadonlyArray<{ file: string; value: Notebook }>, fileResults: readonly FileResults[], rewritten: ReadonlyArray<{ file: string; text: string }>): FileResults[] {
  return fileResults.map((f) => {
    const text = rewritten.find((n) => n.file === f.path)?.text;
    if (text === undefined) return f;
    const original = compiled.find((x) => x.file === f.path)!.value;
    const now = readNotebook(f.path, text);
    const at = f.notebook.entries.map((e) => original.entries.indexOf(e));
    return {
      path: f.path,
      notebook: { ...now, entries: at.map((i) => now.entries[i]) },
      results: f.results.map((r, k) => rebaseResult(r, now.entries[at[k]].scenario)),
    };
  });
}

/**
 * Everything the run would write, checked before anything is: a recording --update
 * cannot rewrite faithfully (its diagnostics printed), a notebook or a report that
 * cannot be replaced, or a report that would replace what it must not (each printed as
 * one line). Undefined when there is any: then nothing is written.
 */
async function planWrites(options: RunOptions, io: Streams, compiled: ReadonlyArray<{ file: string; value: Notebook }>, fileResults: readonly FileResults[], stale: ReadonlyMap<string, readonly RecordCheck[]>): Promise<WritePlan | undefined> {
  const problems: string[] = [];
  let refused = false;
  const notebooks: Array<{ file: string; text: string; kinds: string }> = [];
  for (const { file, value: notebook } of compiled) {
    const changed = stale.get(file);
    if (!changed) continue;
    // Judged from this very text, so the recorded values are where they were read.
    const text = readFileSync(file, 'utf8');
    if (text !== notebook.text) {
      problems.push(`${file} changed while it was being judged: run again`);
      continue;
    }
    const problem = replaceProblem(file);
    if (problem) problems.push(`${problem}: --update does not rewrite it`);
    try {
      notebooks.push({ file, text: updateRecords(file, text, changed), kinds: changed.map((x) => x.recorded.kind).join(', ') });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      for (const d of e.diagnostics) io.err.write(formatDiagnostic(d, text) + '\n');
      refused = true;
    }
  }
  const shown = asRewritten(compiled, fileResults, notebooks);
  let reports: Output[] = [];
  if (options.out !== '-') {
    // A notebook's report covers all its scenarios: one filtered to some of them would
    // replace the whole report with a part of it. Those go to stdout with --out - instead.
    // junit.xml is the run's, not a notebook's: it has a testcase for every check that ran.
    const whole = shown.filter((f) => f.notebook.entries.length === compiled.find((x) => x.file === f.path)!.value.entries.length);
    const perNotebook = options.formats.filter((f) => f !== 'junit');
    if (perNotebook.length) for (const f of shown) if (!whole.includes(f)) io.err.write(`patchlit: no report written for ${f.path}: only ${f.results.length} of its scenarios ran (--out - prints one)\n`);
    const where = { out: options.out, width: options.width, detail: options.detail };
    reports = [...(await outputs(whole, perNotebook, where)), ...(options.formats.includes('junit') ? await outputs(shown, ['junit'], where) : [])];
    problems.push(...outputProblems(reports, new Set(compiled.map((x) => canonicalPath(x.file)))));
  }
  for (const p of problems) io.err.write(`patchlit: ${p}\n`);
  if (refused) io.err.write('patchlit: --update refused: no notebook or report was written\n');
  else if (problems.length) io.err.write('patchlit: nothing was written\n');
  return refused || problems.length ? undefined : { notebooks, reports, shown };
}

/**
 * Writes the files, each whole or not at all (write.ts), a signal meanwhile held until
 * the file being written is; false after printing why one could not be.
 */
async function writeAll(files: ReadonlyArray<{ path: string; text: string; then?: () => void }>, io: Streams): Promise<boolean> {
  let writing = '';
  try {
    await writeHoldingSignals(
      files.map((f) => () => {
        writing = f.path;
        writeAtomically(f.path, f.text);
        f.then?.();
      }),
    );
    return true;
  } catch (e) {
    if (e instanceof WriteRefused) io.err.write(`patchlit: ${e.message}\n`);
    else if ((e as NodeJS.ErrnoException).code) io.err.write(`patchlit: cannot write ${writing}: ${fileErrorReason(e)}\n`);
    else throw e;
    return false;
  }
}

/**
 * Bad input stops a run with exit status 2 before anything is judged; with --format junit
 * the errors still go into junit.xml (each where it is), so that a CI dashboard shows why
 * the run stopped and not only that it did. No other report is written: nothing ran.
 */
async function reportInputErrors(options: RunOptions, io: Streams, errors: readonly InputError[], inputs: readonly string[]): Promise<number> {
  if (!options.formats.includes('junit')) return 2;
  if (options.out === '-') {
    io.out.write(await stdoutReport([], 'junit', { width: options.width, detail: options.detail }, errors));
    return 2;
  }
  const reports = await outputs([], ['junit'], { out: options.out, width: options.width, detail: options.detail, errors });
  const problems = outputProblems(reports, new Set(inputs.map(canonicalPath)));
  for (const p of problems) io.err.write(`patchlit: ${p}: the errors above are not in it\n`);
  if (!problems.length) await writeAll(reports, io);
  return 2;
}

async function finish(
  options: RunOptions,
  io: Streams,
  c: Colours,
  compiled: ReadonlyArray<{ file: string; value: Notebook }>,
  selected: ReadonlyMap<string, number[]>,
  results: ReadonlyMap<string, ScenarioResult>,
  stale: ReadonlyMap<string, readonly RecordCheck[]>,
  log: NodeJS.WritableStream,
  started: number,
): Promise<number> {
  const fileResults: FileResults[] = [];
  for (const { file, value: notebook } of compiled) {
    const picked = selected.get(file) ?? [];
    if (!picked.length) continue;
    const rs = picked.map((i) => results.get(`${file}#${i}`)!);
    const sub: Notebook = picked.length === notebook.entries.length ? notebook : { ...notebook, entries: picked.map((i) => notebook.entries[i]) };
    fileResults.push({ path: file, notebook: sub, results: rs });
  }
  const plan = await planWrites(options, io, compiled, fileResults, stale);
  if (!plan) return 2;
  const written = await writeAll(
    [...plan.notebooks.map((n) => ({ path: n.file, text: n.text, then: () => log.write(`updated ${n.file}: ${n.kinds}\n`) })), ...plan.reports],
    io,
  );
  if (!written) return 2;
  if (options.out === '-') io.out.write(await stdoutReport(plan.shown, options.formats[0], { width: options.width, detail: options.detail }));
  const statuses = fileResults.flatMap((f) => f.results.map((r) => r.status));
  const n = statusCounts(statuses);
  const counts = { passed: n.pass, failed: n.fail, xfail: n.xfail, xpass: n.xpass, incomplete: n.incomplete, files: fileResults.length, scenarios: statuses.length };
  // The time goes to the terminal or the CI log, as vitest's does; reports never carry it.
  const lines = summary(counts, (Date.now() - started) / 1000, c);
  if (options.seed !== undefined) lines.splice(lines.length - 1, 0, `      Seed  ${options.seed}`);
  log.write((options.quiet ? lines.slice(-1) : ['', ...lines]).join('\n') + '\n');
  return counts.incomplete ? 2 : counts.failed || counts.xpass ? 1 : 0;
}

export function runCommand(argv: readonly string[], io: Streams = { out: process.stdout, err: process.stderr, env: process.env }): number | Promise<number> {
  const options = parseRunArgs(argv, io.env);
  if (options === 'help') {
    io.out.write(RUN_USAGE + '\n');
    return 0;
  }
  if (!options.watch) return runOnce(options, io);
  const dependencies = new Map<string, ReadonlySet<string>>();
  return runOnce(options, io, undefined, dependencies).then(() => watchLoop(options, io, dependencies));
}

/**
 * The files to judge again after `changed` changed: those among them, and those that
 * import one of them, directly or not (a notebook's dependencies are every file its
 * imports read, the imports of imported files included).
 */
export function affectedByImports(changed: readonly string[], dependencies: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const touched = new Set(changed.map((f) => resolve(f)));
  const out = new Set(touched);
  for (const [file, imported] of dependencies) if ([...imported].some((d) => touched.has(resolve(d)))) out.add(resolve(file));
  return out;
}

/**
 * --watch: after the first run, judge the files that change, and those that import a
 * file that changes (watched too, wherever it is), until interrupted.
 */
function watchLoop(options: RunOptions, io: Streams, dependencies: Map<string, ReadonlySet<string>>): Promise<number> {
  io.err.write('watching for changes (Ctrl-C to stop)\n');
  return new Promise((done) => {
    let running = false;
    // Changes seen while a run is going on: judged once it ends.
    const later = new Set<string>();
    const watchImports = () => {
      for (const imported of dependencies.values()) for (const f of imported) watcher.add(f);
    };
    const rerun = (changed: readonly string[]) => {
      if (running) {
        for (const f of changed) later.add(f);
        return;
      }
      running = true;
      io.err.write(`\nchanged: ${changed.join(', ')}\n`);
      runOnce(options, io, affectedByImports(changed, dependencies), dependencies)
        .then(watchImports)
        .catch((e) => io.err.write(`patchlit: ${(e as Error).message}\n`))
        .finally(() => {
          running = false;
          if (!later.size) return;
          const next = [...later].sort();
          later.clear();
          rerun(next);
        });
    };
    const watcher = watchFiles(
      options.paths.map((p) => p.path),
      (all) => {
        // The reports this run writes are not news: a watched directory may hold them.
        const outDir = resolve(options.out) + sep;
        const changed = all.filter((f) => !resolve(f).startsWith(outDir));
        if (changed.length) rerun(changed);
      },
    );
    watchImports();
    process.once('SIGINT', () => {
      watcher.close();
      done(130);
    });
  });
}
