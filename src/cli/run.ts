// `patchlit run FILE|DIR...`: judge every scenario, write the reports, print one line
// per scenario; exit 0 when every check holds, 1 when one fails, 2 on bad input, and a
// state space over its budget counts as bad input: its verdict is "incomplete", never a
// pass, and the command says where to raise the budget.

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { jsonReport, renderMarkdown, count, toJsonText } from '../report/index.ts';
import { unsupportedInstructions } from '../machine/index.ts';
import { FETCH_CONFIG_NAMES, readNotebook, ScenarioError, type Diagnostic, type FetchConfigName, type Notebook } from '../scenario/index.ts';
import { judgeScenario, type ConfigResult, type ScenarioResult } from '../verdict/index.ts';
import { collectFiles, compileAll, reportPath, writeAtomically } from './files.ts';

export const RUN_USAGE = `usage: patchlit run [options] FILE|DIR...

Explores every behaviour of each scenario (Markdown notebooks with \`\`\`patchlit
blocks, or YAML files), judges its claims and writes a report per file.

options:
  --format md|json     md (default): reports under --out; json: a report on stdout
  --out DIR            where reports go (default: reports)
  --model NAMES        judge under these fetch configurations (comma-separated:
                       ziccif-only, ziccid, ir-decode-w, ir-decode, ir3-fetch,
                       coherent) instead of each scenario's own
  --max-states N       stop exploring after N states (the verdict is then incomplete)
  --timeout SECONDS    stop exploring after this long (likewise)
  -h, --help           this text

exit status: 0 every check holds, 1 a check fails, 2 bad input or a search over
its budget (the scenario's verdict is then "incomplete")`;

export class UsageError extends Error {}

/** Diagnostics with the same place and message once. */
function uniqueDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.pos.file}:${d.pos.line}:${d.pos.col}: ${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

interface Loaded {
  readonly file: string;
  readonly notebook: Notebook;
}

function positiveNumber(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} needs a positive number, not "${v}"`);
  return n;
}

/** `--model a,b`: fetch configuration names, checked. */
export function modelList(text: string | undefined): FetchConfigName[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  const bad = names.find((n) => !(FETCH_CONFIG_NAMES as readonly string[]).includes(n));
  if (bad !== undefined || !names.length) throw new UsageError(`--model takes fetch configurations (${FETCH_CONFIG_NAMES.join(', ')}), not "${bad ?? text}"`);
  return [...new Set(names)] as FetchConfigName[];
}

/** "pass under all 5", or "FAIL under ziccif-only, ir3-fetch; pass under ziccid, ...". */
export function configsText(configs: readonly ConfigResult[]): string {
  const order = ['fail', 'incomplete', 'pass'] as const;
  const parts = order.flatMap((v) => {
    const list = configs.filter((c) => c.verdict === v).map((c) => c.model.fetch);
    if (!list.length) return [];
    const word = v === 'pass' ? 'pass' : v.toUpperCase();
    const all = configs.length === 2 ? 'both' : `all ${configs.length}`;
    return [list.length === configs.length && configs.length > 1 ? `${word} under ${all}` : `${word} under ${list.join(', ')}`];
  });
  return parts.join('; ');
}

export function runCommand(argv: readonly string[], out = process.stdout, err = process.stderr): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'md' },
      out: { type: 'string', default: 'reports' },
      'max-states': { type: 'string' },
      model: { type: 'string' },
      timeout: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(RUN_USAGE + '\n');
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('patchlit run: name at least one scenario file or directory');
  if (values.format !== 'md' && values.format !== 'json') throw new UsageError(`--format takes md or json, not "${values.format}"`);
  const maxStates = positiveNumber('max-states', values['max-states']);
  const maxSeconds = positiveNumber('timeout', values.timeout);
  const budget = { ...(maxStates ? { maxStates } : {}), ...(maxSeconds ? { maxSeconds } : {}) };
  const configs = modelList(values.model);

  let files: string[];
  try {
    files = collectFiles(positionals);
  } catch (e) {
    err.write(`patchlit: ${(e as Error).message}\n`);
    return 2;
  }
  // Read everything first: bad input anywhere stops the run before any exploring.
  const compiled = compileAll(files, (file, text) => {
    const notebook = readNotebook(file, text);
    // Once per place: scenarios that extend another share its code and steps.
    const unsupported = uniqueDiagnostics(notebook.entries.flatMap((e) => unsupportedInstructions(e.scenario)));
    if (unsupported.length) throw new ScenarioError(unsupported);
    return notebook;
  }, err);
  if (!compiled) return 2;
  const loaded: Loaded[] = compiled.map((c) => ({ file: c.file, notebook: c.value }));

  const json = values.format === 'json';
  const log = json ? err : out;
  const results: Array<{ path: string; results: ScenarioResult[] }> = [];
  let failed = 0;
  let incomplete = 0;
  let passed = 0;
  const warned = new Set<string>();
  for (const { file, notebook } of loaded) {
    const rs: ScenarioResult[] = [];
    for (const { scenario } of notebook.entries) {
      for (const w of scenario.warnings ?? []) {
        const text = `${w.pos.file}:${w.pos.line}:${w.pos.col}: warning: ${w.message}`;
        if (!warned.has(text)) err.write(text + '\n');
        warned.add(text);
      }
      const r = judgeScenario(scenario, { budget, ...(configs ? { configs } : {}) });
      rs.push(r);
      if (r.verdict === 'pass') passed++;
      else if (r.verdict === 'fail') failed++;
      else incomplete++;
      const where = `${scenario.pos.file}:${scenario.pos.line}`;
      const states = r.configs.reduce((n, c) => n + c.stats.states, 0);
      log.write(`${r.verdict.toUpperCase().padEnd(10)} ${scenario.name}  ${where}  ${configsText(r.configs)} · ${count(states)} states\n`);
      for (const c of r.configs) {
        if (c.complete) continue;
        const at = `${scenario.pos.file}:${scenario.pos.line}:${scenario.pos.col}`;
        const [why, raise] =
          c.stopped === 'time'
            ? [`is over its time budget (${count(c.stats.states)} states explored)`, 'raise --timeout or budget.seconds']
            : c.stopped === 'states'
              ? [`is over its state budget (${count(c.stats.states)} states explored)`, 'raise --max-states or budget.states']
              : c.stopped === 'certification'
                ? ['needs a promise certified beyond the certification search\'s budget', 'make the harts\' code between a load and a later store shorter']
                : ['keeps finding new values speculative fetches could read', 'bound the values stores write into code'];
        err.write(`${at}: error: scenario "${scenario.name}" under ${c.model.fetch} ${why}: its verdict is incomplete\n  hint: ${raise}\n`);
      }
    }
    results.push({ path: file, results: rs });
    if (!json) {
      const target = reportPath(file, values.out!);
      if (resolve(target) === resolve(file)) throw new UsageError(`the report of ${file} would overwrite it: choose another --out`);
      writeAtomically(target, renderMarkdown(notebook, rs));
    }
  }
  if (json) out.write(toJsonText(jsonReport(results)) + '\n');
  log.write(`${passed} passed, ${failed} failed${incomplete ? `, ${incomplete} incomplete` : ''}\n`);
  return incomplete ? 2 : failed ? 1 : 0;
}
