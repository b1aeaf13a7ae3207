// The plain-text report (`patchlit run --format text`), for a reviewer answering on a
// plain-text mailing list or pasting results below a patch's `---` line. That reader
// has the notebook, so its prose is not repeated; and mail clients mangle everything
// else, so the text is ASCII only, carries no Markdown, and no line is longer than the
// width (72 columns by default, the kernel's mail convention).
//
// Each scenario's report fits a reply: its verdict first (under which configurations,
// and which checks fail), its claims, the author's table with what was seen, herd7's
// outcome block, and then each distinct run that breaks a check, once, shortest first,
// as lanes (one column per hart); the checks refer to it ("run A"). The default detail
// keeps it short: a check's reasons only where it fails unexpectedly, the rows that
// hold on one line, outcomes as a recording lists them, a long run by its first and
// last steps. `detail: 'full'` leaves nothing out. Nothing machine-dependent goes in.

import type { Notebook } from '../scenario/types.ts';
import { atomicityText } from '../machine/model.ts';
import { STATUS_ORDER } from '../verdict/expect.ts';
import type { ConfigResult, RowResult, Run, ScenarioResult, Status } from '../verdict/types.ts';
import { byStatus, configsShort, configStatus, listText, worstStatus } from './by-config.ts';
import { endingText, letterText, lineRef, Names, runKey, runSummary, warningText } from './describe.ts';
import { claimLines, scenarioBlock } from './herd.ts';
import { commonSteps, laneLines } from './lanes.ts';
import { DEFAULT_WIDTH, fit, MIN_WIDTH, spaces, wrap, type Detail } from './layout.ts';
import { firstSeenText } from '../hw/compare.ts';
import { hardwareVerdict } from '../hw/hardware.ts';
import { classesText, RULE_WORDS } from './markdown.ts';

export { DEFAULT_WIDTH, DETAILS, MIN_WIDTH, type Detail } from './layout.ts';

export interface TextOptions {
  /** Longest line, in columns (default 72). */
  readonly width?: number;
  /** Default brief. */
  readonly detail?: Detail;
}

/** What every section is given. */
interface Ctx {
  readonly r: ScenarioResult;
  readonly names: Names;
  readonly width: number;
  readonly full: boolean;
  /** The report named the configurations already (every scenario of the notebook has the same). */
  readonly named: boolean;
  /** Each run drawn, by its key: its letter. */
  readonly runs: ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------------------------
// Words for statuses

/** A scenario's status, or a configuration's, as a lit-style summary says it. */
const SCENARIO_WORD: Readonly<Record<Status, string>> = {
  pass: 'PASS',
  fail: 'FAIL',
  xfail: 'XFAIL (as declared)',
  xpass: 'XPASS (declared to fail, it holds)',
  incomplete: 'INCOMPLETE',
};
/** A check's status: failures shout, a pass does not. */
const CHECK_WORD: Readonly<Record<Status, string>> = { pass: 'ok', fail: 'FAIL', xfail: 'XFAIL', xpass: 'XPASS', incomplete: 'INCOMPLETE' };
/** What the checks of each status do, after their names. */
const CHECK_PHRASE: Readonly<Record<Exclude<Status, 'pass'>, string>> = {
  fail: 'fail',
  xpass: 'hold, though declared to fail',
  incomplete: 'are undecided',
  xfail: 'fail as declared',
};

/** Configurations grouped by a key, in the order the groups first appear. */
function groupBy<T>(all: readonly ConfigResult[], keyOf: (c: ConfigResult, i: number) => T, keyText: (k: T) => string): Array<{ key: T; configs: ConfigResult[]; text: string }> {
  const groups = new Map<string, { key: T; configs: ConfigResult[] }>();
  all.forEach((c, i) => {
    const key = keyOf(c, i);
    const k = keyText(key);
    const g = groups.get(k) ?? { key, configs: [] };
    g.configs.push(c);
    groups.set(k, g);
  });
  return [...groups.entries()].map(([text, g]) => ({ ...g, text }));
}

const rank = (s: Status) => STATUS_ORDER.indexOf(s);

/** "FAIL under ziccif-only and ir3-fetch; ok under all others" style, each group naming its configurations. */
function statusUnder(all: readonly ConfigResult[], statusOf: (c: ConfigResult) => Status, words: Readonly<Record<Status, string>>): string {
  return byStatus(all, statusOf)
    .map((g) => `${words[g.status]} under ${configsShort(g.configs, all)}`)
    .join('; ');
}

/** " under ziccif-only: the reason" after "expected to fail", as much as the author said. */
function expectedText(x: { readonly xfail?: string; readonly xfailUnder?: readonly string[] }): string {
  return `${x.xfailUnder ? ` under ${listText(x.xfailUnder)}` : ''}${x.xfail ? `: ${x.xfail}` : ''}`;
}

/** " (run A)" after a check whose run is drawn below. */
function runRef(ctx: Ctx, run: Run | undefined): string {
  const letter = run && ctx.runs.get(runKey(run, ctx.names));
  return letter ? ` (run\u00a0${letter})` : '';
}

// ---------------------------------------------------------------------------------
// 1. The verdict

/** The model a scenario has unless it says otherwise: the default detail names only another. */
const DEFAULT_MODEL = 'stores rvwmo, atomicity ziccif, fence.i transitive';

/** "three-step: XFAIL (as declared) under all 5 configurations (ziccif-only, ...)"; configurations that differ, each group named. */
function verdictLine(r: ScenarioResult, named: boolean): string {
  const s = r.scenario;
  const name = `${s.name}, line ${s.pos.line}`;
  if (!r.configs.length) return `${name}: ${SCENARIO_WORD[r.status]}`;
  const groups = byStatus(r.configs, (c) => configStatus(s, c));
  const every = r.configs.map((c) => c.model.fetch).join(', ');
  if (groups.length === 1 && groups[0].status === r.status) {
    // Named at the top of the report already: counted only.
    const all = r.configs.length === 1 ? `configuration ${every}` : named ? configsShort(r.configs, r.configs) : `${r.configs.length === 2 ? 'both' : `all ${r.configs.length}`} configurations (${every})`;
    return `${name}: ${SCENARIO_WORD[r.status]} under ${all}`;
  }
  const parts = groups.map((g) => `${SCENARIO_WORD[g.status]} under ${listText(g.configs.map((c) => c.model.fetch))}`).join('; ');
  // A recording that changed fails the scenario whatever its configurations say.
  return groups.some((g) => g.status === r.status) ? `${name}: ${parts}` : `${name}: ${SCENARIO_WORD[r.status]}; ${parts}`;
}

/** The checks that do not hold, by status: "Fail as declared: rows ff04f and f0ff4". */
function checksSummary(r: ScenarioResult): string[] {
  const s = r.scenario;
  const checks: Array<{ label: string; statusOf: (c: ConfigResult) => Status }> = [
    ...s.claims.map((_, i) => ({ label: `claim ${i + 1}`, statusOf: (c: ConfigResult) => c.claims[i].status })),
    ...(s.table?.rows ?? []).map((row, k) => ({ label: `row ${row.signature}`, statusOf: (c: ConfigResult) => c.table!.rows[k].status })),
  ];
  const out: string[] = [];
  for (const status of ['fail', 'xpass', 'incomplete', 'xfail'] as const) {
    const labels = checks.flatMap((x) => {
      const under = r.configs.filter((c) => x.statusOf(c) === status);
      if (!under.length) return [];
      return [under.length === r.configs.length ? x.label : `${x.label} (under ${listText(under.map((c) => c.model.fetch))})`];
    });
    if (status === 'fail') for (const rec of r.records.filter((x) => !x.matches)) labels.push(`the recorded ${rec.recorded.kind === 'outcomes' ? 'outcomes:' : "table's observed:"} (line ${rec.recorded.pos.line})`);
    if (labels.length) out.push(`${CHECK_PHRASE[status][0].toUpperCase()}${CHECK_PHRASE[status].slice(1)}: ${labelsText(labels)}.`);
  }
  return out;
}

function headerSection(ctx: Ctx): string[] {
  const { r, width } = ctx;
  const s = r.scenario;
  const out = wrap(verdictLine(r, ctx.named), width, '', '  ');
  const hang = (text: string) => out.push(...wrap(text, width, '  ', '    '));
  const model = `stores ${s.system.model.stores}, atomicity ${atomicityText(s.system.model.atomicity)}, fence.i ${s.system.model.fenceI}`;
  if (ctx.full || model !== DEFAULT_MODEL) hang(`Model: ${model}.`);
  for (const line of checksSummary(r)) hang(line);
  if (s.xfail !== undefined) hang(`Expected to fail${expectedText(s)}`);
  for (const w of s.warnings ?? []) hang(`Warning (${lineRef(w.pos, s)}): ${warningText(w)}`);
  for (const rec of r.records) {
    if (rec.matches) continue;
    const key = rec.recorded.kind === 'outcomes' ? 'outcomes:' : "the table's observed:";
    hang(`Recorded ${key} (line ${rec.recorded.pos.line}) no longer matches; observed now:`);
    for (const line of rec.observed) out.push(...wrap(line, width, '    ', '      '));
  }
  return out;
}

// ---------------------------------------------------------------------------------
// 2. Claims

/**
 * Each claim with its status, as its author laid it out, and its run; with the default
 * detail, the claims that hold under every configuration are only counted (the reader
 * has the notebook, and herd's Observation lines below give each one's counts).
 */
function claimsSection(ctx: Ctx): string[] {
  const { r, width, full } = ctx;
  const s = r.scenario;
  if (!s.claims.length) return [];
  const statuses = s.claims.map((_, i) => worstStatus(r.configs.map((c) => c.claims[i].status)));
  const shown = s.claims.map((_, i) => i).filter((i) => full || statuses[i] !== 'pass');
  const holding = s.claims.map((_, i) => i).filter((i) => !shown.includes(i));
  const under = r.configs.length > 1 ? ` under ${configsShort(r.configs, r.configs)}` : '';
  const every = s.claims.length === 1 ? 'The claim holds' : s.claims.length === 2 ? 'Both claims hold' : `All ${s.claims.length} claims hold`;
  const held = holding.length === s.claims.length ? `${every}${under}.` : `Claim${holding.length > 1 ? 's' : ''} ${listText(holding.map((i) => String(i + 1)))} hold${holding.length > 1 ? '' : 's'}${under}.`;
  if (!shown.length) return wrap(held, width, '  ', '    ');
  const wordWidth = Math.max(...shown.map((i) => CHECK_WORD[statuses[i]].length));
  const numWidth = String(s.claims.length).length;
  const out = holding.length ? wrap(`${held.slice(0, -1)}; the others:`, width, '  ', '    ') : ['  Claims:'];
  for (const i of shown) out.push(...claimLinesOf(ctx, i, statuses[i], `    ${String(i + 1).padStart(numWidth)}. ${CHECK_WORD[statuses[i]].padEnd(wordWidth)}  `));
  return out;
}

function claimLinesOf(ctx: Ctx, i: number, status: Status, first: string): string[] {
  const { r, width, full } = ctx;
  const claim = r.scenario.claims[i];
  const out: string[] = [];
  const hang = spaces(first.length);
  const lines = claimLines(claim);
  const run = r.configs.map((c) => (c.claims[i].status === 'xpass' ? c.claims[i].witness : c.claims[i].counterexample)).find((x) => x);
  lines[lines.length - 1] += runRef(ctx, status === 'pass' ? undefined : run);
  lines.forEach((line, k) => {
    // A line of a block-style claim keeps its indentation: words are filled only within it.
    const indent = k === 0 ? '' : /^ */.exec(line)![0];
    out.push(...wrap(line, width, (k === 0 ? first : hang) + indent, hang + indent + '  '));
  });
  // Why, and what was expected: where the check fails unexpectedly, or everything with full detail.
  const unexpected = status === 'fail' || status === 'xpass';
  if (claim.because && (full || unexpected)) out.push(...wrap(`because: ${claim.because}`, width, hang, hang + '  '));
  if (claim.xfail !== undefined && (full || unexpected || status === 'xfail')) out.push(...wrap(`expected to fail${expectedText(claim)}`, width, hang, hang + '  '));
  const agree = r.configs.every((c) => c.claims[i].status === r.configs[0].claims[i].status);
  if (!agree) out.push(...wrap(statusUnder(r.configs, (c) => c.claims[i].status, CHECK_WORD), width, hang, hang + '  '));
  for (const e of r.explanations.filter((x) => x.claim === i)) {
    const rules = e.deciders.map((d) => `${d.config} has ${d.rules.length ? d.rules.map((k) => RULE_WORDS[k]).join(' and ') : 'no rule the others lack'}`);
    out.push(...wrap(`decided by: ${rules.join('; ')}`, width, hang, hang + '  '));
  }
  return out;
}

// ---------------------------------------------------------------------------------
// 3. The author's table

/**
 * What was observed of a row's signature (its run named after it) and of its "would be"
 * alternatives; `brief`, of those only the ones not seen as claimed, which say why the row fails.
 */
function rowObserved(row: RowResult, ref = '', brief = false): string {
  return row.parts
    .filter((p, i) => i === 0 || !brief || p.verdict !== 'pass')
    .map((p, i) => {
      const seen = p.observed ? classesText(p.classes) : '';
      if (i === 0) {
        if (!p.observed) return 'never seen';
        return (p.expect === 'impossible' || p.verdict !== 'pass' ? `seen as ${seen}` : seen) + ref;
      }
      const claimed = p.verdict === 'fail' ? ` (claimed ${p.expect})` : '';
      return `would be ${p.signature}: ${p.observed ? seen : 'never seen'}${claimed}`;
    })
    .join('; ');
}

/** The run that shows a row's signature, where it breaks the row (claimed impossible, seen) or shows it holds though declared to fail. */
function rowRun(c: ConfigResult, k: number): Run | undefined {
  const rr = c.table!.rows[k];
  const own = rr.parts[0];
  const wanted = rr.status === 'xpass' ? rr.row.claim.kind === 'class' && own.observed > 0 : own.expect === 'impossible' && own.verdict === 'fail';
  return wanted && rr.status !== 'pass' ? c.table!.signatures.get(rr.row.signature)?.example : undefined;
}

const bySignature = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/**
 * The rows as the author wrote them, each followed by its status and what was seen
 * (configurations that saw the same, together); with the default detail, only where the
 * row does not hold everywhere: a row that holds was seen as written.
 */
function tableSection(ctx: Ctx): string[] {
  const { r, names, width, full } = ctx;
  const spec = r.scenario.table;
  if (!spec || !r.configs.length) return [];
  const which = full ? 'under each row, what was seen' : 'under each row that does not hold, what was seen';
  const out = wrap(`The author's table: signatures of ${spec.harts.map((h) => names.hart(h)).join(', ')} (${letterText(spec, names, (l) => `${l}:`)}); ${which} (xN: in N distinct outcomes):`, width, '  ', '    ');
  spec.rows.forEach((row, k) => {
    out.push(...wrap(`${row.signature} -- ${row.text}`, width, '    ', '        '));
    const groups = groupBy(
      r.configs,
      (c) => ({ status: c.table!.rows[k].status, text: rowObserved(c.table!.rows[k], runRef(ctx, rowRun(c, k)), !full) }),
      (x) => `${x.status}\n${x.text}`,
    ).sort((a, b) => rank(a.key.status) - rank(b.key.status));
    if (!full && groups.length === 1 && groups[0].key.status === 'pass') return;
    for (const g of groups) {
      const under = groups.length > 1 ? ` under ${configsShort(g.configs, r.configs)}` : '';
      out.push(...wrap(`${CHECK_WORD[g.key.status]}${under}: ${g.key.text}`, width, '      ', '        '));
    }
    const unexpected = groups.some((g) => g.key.status === 'fail' || g.key.status === 'xpass');
    if (row.xfail && (full || unexpected)) out.push(...wrap(`expected to fail: ${row.xfail}`, width, '      ', '        '));
  });
  out.push(...unlistedLines(ctx));
  return out;
}

/** Each signature no row mentions, with what each configuration saw (configurations that saw the same, together). */
function unlistedLines(ctx: Ctx): string[] {
  const { r, width, full } = ctx;
  const unlisted = new Set(r.configs.flatMap((c) => c.table!.unlisted));
  if (!unlisted.size) return [];
  const items = [...unlisted].sort(bySignature).map((sig) => {
    const seen = r.configs.map((c) => (c.table!.unlisted.includes(sig) ? classesText(c.table!.signatures.get(sig)!.classes) : undefined));
    const groups = groupBy(r.configs, (_c, i) => seen[i], (x) => x ?? '').filter((g) => g.key !== undefined);
    const same = groups.length === 1 && groups[0].configs.length === r.configs.length;
    return { sig, text: same ? groups[0].text : groups.map((g) => `${g.text} under ${configsShort(g.configs, r.configs)}`).join('; ') };
  });
  if (full) return ['', '    Observed but not in the table:', ...items.flatMap((x) => wrap(`${x.sig} -- ${x.text}`, width, '    ', '        '))];
  // Signatures seen alike, together: "08fff, 0f8ff (safe x1)".
  const alike = new Map<string, string[]>();
  for (const x of items) alike.set(x.text, [...(alike.get(x.text) ?? []), x.sig]);
  return wrap(`Seen, not in the table: ${[...alike].map(([text, sigs]) => `${sigs.join(', ')} (${text})`).join('; ')}.`, width, '    ', '      ');
}

// ---------------------------------------------------------------------------------
// 4. herd7's outcome block

/**
 * What each machine of the scenario's `hardware:` showed, held against the model: a line
 * saying whether all of it is allowed, then the outcomes it saw (every forbidden one first,
 * with the iteration that first showed it); the model's outcomes it never showed are
 * counted, not listed (the Markdown report lists them).
 */
function hardwareSection(ctx: Ctx): string[] {
  const { r, width } = ctx;
  const out: string[] = [];
  for (const h of r.hardware ?? []) {
    const c = h.comparison;
    const verdict = hardwareVerdict(h).text;
    if (out.length) out.push('');
    out.push(...wrap(`Seen on ${h.run.machine} (${h.run.results}, ${c.iterations} iterations, under ${c.config}): ${verdict}.`, width, '  ', '    '));
    for (const f of c.forbidden) out.push(...wrap(`FORBIDDEN ${f.count} ${f.outcome}${firstSeenText(f.first)}`, width, '    ', '        '));
    for (const a of c.allowed.filter((x) => x.count)) out.push(...wrap(`${a.count} ${a.outcome}${firstSeenText(a.first)}`, width, '    ', '        '));
  }
  return out;
}

function outcomesSection(ctx: Ctx): string[] {
  const { r, names, width, full } = ctx;
  const blocks = groupBy(r.configs, (c) => scenarioBlock(r, c, names, full), (b) => b.join('\n'));
  const out: string[] = [];
  for (const g of blocks) {
    if (out.length) out.push('');
    out.push(...wrap(`herd7 style, under ${configsShort(g.configs, r.configs)}:`, width, '  ', '    '));
    for (const line of g.key) {
      // A block-style claim's later lines in a Condition keep their indentation.
      const indent = /^ */.exec(line)![0];
      out.push(...wrap(line, width, '    ' + indent, '        ' + indent));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------
// 5. The runs that break checks, each once

interface RunUse {
  readonly run: Run;
  /** "claim 2", "row ff04f". */
  readonly label: string;
  readonly status: Status;
  readonly config: ConfigResult;
}

/** Every check's run under every configuration: the counterexample of one that fails, the witness of one that holds though declared to fail. */
function runUses(r: ScenarioResult): RunUse[] {
  const out: RunUse[] = [];
  r.scenario.claims.forEach((_, i) => {
    for (const c of r.configs) {
      const x = c.claims[i];
      const run = x.status === 'xpass' ? x.witness : x.status === 'fail' || x.status === 'xfail' ? x.counterexample : undefined;
      if (run) out.push({ run, label: `claim ${i + 1}`, status: x.status, config: c });
    }
  });
  (r.scenario.table?.rows ?? []).forEach((row, k) => {
    for (const c of r.configs) {
      const run = rowRun(c, k);
      if (run) out.push({ run, label: `row ${row.signature}`, status: c.table!.rows[k].status, config: c });
    }
  });
  return out;
}

/** The distinct runs, those of unexpected failures first, shortest first (ties in the order the checks come), each with the checks it is the run of. */
function distinctRuns(r: ScenarioResult, names: Names): Array<{ key: string; run: Run; uses: RunUse[] }> {
  const byKey = new Map<string, { key: string; run: Run; uses: RunUse[] }>();
  for (const use of runUses(r)) {
    const key = runKey(use.run, names);
    const entry = byKey.get(key) ?? { key, run: use.run, uses: [] };
    entry.uses.push(use);
    byKey.set(key, entry);
  }
  // A check that fails unexpectedly matters most: its runs come first.
  const unexpected = (x: { uses: RunUse[] }) => (x.uses.some((u) => u.status === 'fail' || u.status === 'xpass') ? 0 : 1);
  return [...byKey.values()].sort((a, b) => unexpected(a) - unexpected(b) || a.run.steps.length - b.run.steps.length);
}

/** A, B, ..., Z, AA, AB, ... */
function letter(n: number): string {
  return (n >= 26 ? letter(Math.floor(n / 26) - 1) : '') + String.fromCharCode(65 + (n % 26));
}

/** "claims 2 and 3 and row ff04f": claims and rows each named once as a kind; other labels as they are. */
function labelsText(labels: readonly string[]): string {
  const kinds = new Map<string, string[]>();
  for (const l of labels) {
    const [kind, ...rest] = l.split(' ');
    const [key, item] = kind === 'claim' || kind === 'row' ? [kind, rest.join(' ')] : [l, ''];
    const list = kinds.get(key) ?? [];
    if (!list.includes(item)) list.push(item);
    kinds.set(key, list);
  }
  return [...kinds].map(([kind, list]) => (list[0] === '' ? kind : `${kind}${list.length > 1 ? 's' : ''} ${listText(list)}`)).join(' and ');
}

/** What a run is to its checks: "claims 2 and 3 fail as declared under all 5". */
function usesText(uses: readonly RunUse[], all: readonly ConfigResult[]): string {
  const checks = groupBy(
    all,
    (c) => uses.filter((u) => u.config === c).map((u) => `${u.status} ${u.label}`),
    (k) => k.join('\n'),
  ).filter((g) => g.key.length);
  return checks
    .flatMap((g) => {
      const statuses = [...new Set(g.key.map((k) => k.split(' ')[0] as Status))].sort((a, b) => rank(a) - rank(b));
      return statuses.map((st) => {
        const labels = g.key.filter((k) => k.startsWith(`${st} `)).map((k) => k.slice(st.length + 1));
        const plural = labels.length > 1;
        const phrase = plural ? CHECK_PHRASE[st as Exclude<Status, 'pass'>] : CHECK_PHRASE[st as Exclude<Status, 'pass'>].replace(/^fail/, 'fails').replace(/^hold/, 'holds').replace(/^are/, 'is');
        // Under every configuration goes without saying: the verdict said which they are.
        return `${labelsText(labels)} ${phrase}${g.configs.length === all.length ? '' : ` under ${configsShort(g.configs, all)}`}`;
      });
    })
    .join('; ');
}

/** A run's length and how it ends, unless its last step says so (a crash is told where it happens). */
function runLength(run: Run, names: Names): string {
  const last = run.steps[run.steps.length - 1];
  const steps = `${run.steps.length} step${run.steps.length === 1 ? '' : 's'}`;
  if (run.loopFrom !== undefined || !run.ending) return runSummary(run, names, ', ');
  if (last?.events.some((e) => e.kind === 'crash')) return steps;
  return `${steps}, ${endingText(run.ending, names)}`;
}

/** Fewer first steps in common with a run drawn before are drawn again rather than referred to. */
const MIN_SHARED = 4;
/** What a scenario's report aims to fit, with the default detail: a reply's worth. */
const MAIL_LINES = 80;

/**
 * Each distinct run, in order, as lanes under what it shows: one section each. With the
 * default detail, a run that begins as one drawn before names that one for its first
 * steps (shortest runs often begin alike) and draws the rest; and runs are drawn while
 * the scenario's report stays within MAIL_LINES (`used` lines so far), the first always:
 * the others are named, with what they show, for `--detail full` to draw.
 */
function runSections(ctx: Ctx, runs: ReturnType<typeof distinctRuns>, used: number): string[][] {
  const { r, names, width, full } = ctx;
  const caption = (x: (typeof runs)[number]) => `Run ${ctx.runs.get(x.key)!} (${runLength(x.run, names)}): ${usesText(x.uses, r.configs)}.`;
  const drawn: string[][] = [];
  for (const [k, x] of runs.entries()) {
    const earlier = runs.slice(0, k).map((y) => ({ run: ctx.runs.get(y.key)!, steps: commonSteps(y.run, x.run, names) }));
    // The earlier run with the most steps in common; the first of those, on a tie. A whole run is never "as in" another.
    const same = earlier.reduce<(typeof earlier)[number] | undefined>((best, e) => (e.steps > (best?.steps ?? 0) ? e : best), undefined);
    const sameAs = !full && same && same.steps >= MIN_SHARED && same.steps < x.run.steps.length ? { sameAs: same } : {};
    const section = [...wrap(caption(x), width, '  ', '    '), ...laneLines(x.run, r.scenario, names, { width, indent: '  ', elide: !full, ...sameAs })];
    if (!full && k > 0 && used + section.length + 1 > MAIL_LINES) break;
    drawn.push(section);
    used += section.length + 1;
  }
  const named = runs.slice(drawn.length);
  if (!named.length) return drawn;
  return [...drawn, [`  ${named.length === 1 ? 'One more run' : `${named.length} more runs`}, drawn with --detail full:`, ...named.flatMap((x) => wrap(caption(x), width, '    ', '      '))]];
}

// ---------------------------------------------------------------------------------
// The report

/** One scenario's results, as lines of at most `width` columns. */
export function scenarioText(r: ScenarioResult, width: number = DEFAULT_WIDTH, detail: Detail = 'brief', named = false): string[] {
  const names = new Names(r.scenario);
  const runs = distinctRuns(r, names);
  const ctx: Ctx = { r, names, width, full: detail === 'full', named, runs: new Map(runs.map((x, i) => [x.key, letter(i)])) };
  const before = [headerSection(ctx), claimsSection(ctx), tableSection(ctx), outcomesSection(ctx), hardwareSection(ctx)].filter((x) => x.length);
  const lines = (list: string[][]) => list.flatMap((x, i) => (i ? ['', ...x] : x));
  return fit(lines([...before, ...runSections(ctx, runs, lines(before).length)]), width);
}

export function renderText(nb: Notebook, results: readonly ScenarioResult[], options: TextOptions = {}): string {
  const width = options.width ?? DEFAULT_WIDTH;
  if (!Number.isInteger(width) || width < MIN_WIDTH) throw new RangeError(`the text report needs a width of at least ${MIN_WIDTH} columns, not ${width}`);
  const out = wrap(`patchlit report of ${nb.file}`, width, '', '  ');
  // Several scenarios: their tally first, and the configurations once where all have the same; each one's verdict first in its own report.
  const fetch = (r: ScenarioResult) => r.configs.map((c) => c.model.fetch).join(', ');
  const named = results.length > 1 && results.every((r) => r.configs.length > 1 && fetch(r) === fetch(results[0]));
  if (results.length !== 1) {
    const tally = STATUS_ORDER.map((st) => [st, results.filter((r) => r.status === st).length] as const).filter(([, n]) => n > 0);
    const under = named ? `, each under ${listText(results[0].configs.map((c) => c.model.fetch))}` : '';
    out.push(...wrap(`${results.length} scenarios${under}: ${tally.map(([st, n]) => `${n} ${SCENARIO_WORD[st]}`).join(', ') || 'none'}.`, width, '', '  '));
  }
  // One scenario's report starts right under the title: its verdict is in the first lines.
  for (const r of results) out.push(...(results.length === 1 ? [] : ['']), ...scenarioText(r, width, options.detail, named));
  return fit(out, width).join('\n') + '\n';
}
