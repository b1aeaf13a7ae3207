// The notebook rendered back as GitHub-flavoured Markdown: every byte of the author's
// text kept, each scenario block followed by its results: the verdict of every claim under
// every fetch configuration judged, the rules that decide where configurations disagree,
// the author's table against what was observed, the outcomes, the code as assembled, and
// the shortest counterexample of every failed check. Nothing machine-dependent goes in.

import { atomicityText, type FetchRule } from '../machine/model.ts';
import { frontMatterEnd } from '../scenario/blocks.ts';
import type { Notebook, Predicate, Scenario } from '../scenario/types.ts';
import { statusCounts } from '../verdict/expect.ts';
import { recordDiff } from '../verdict/records.ts';
import type { ClaimResult, ConfigResult, Outcome, RecordCheck, HardwareCheck, RowResult, RuleExplanation, Run, ScenarioResult, Status, TableResult } from '../verdict/types.ts';
import { byStatus, configName, configsShort, configsText, configStatus, listText, worstStatus } from './by-config.ts';
import { actorOf, endingText, letterText, lineRef, Names, warningText, taskGroups, taskIndices, runKey, runSummary, sameRuns, stepText, stopText } from './describe.ts';
import { herdStates } from './herd.ts';
import { hardwareVerdict } from '../hw/hardware.ts';
import { mermaidSequence } from './mermaid.ts';

/** Longer lists and tables than these are folded into a <details> block. */
const FOLD_STEPS = 40;
const FOLD_ROWS = 12;

/**
 * Lines folded under a summary. GitHub renders Markdown inside <details> only with a
 * blank line after the <summary> line and before </details>. The summary is HTML, where
 * Markdown is not read: code spans become <code> elements and the text is escaped, or a
 * forge shows backticks and drops `<func>`. An `id` puts an anchor in the summary, which
 * stays in sight while the block is closed.
 */
function folded(summary: string, body: readonly string[], id?: string): string[] {
  const html = summary
    .split('`')
    .map((part, i) => {
      const escaped = part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return i % 2 === 1 ? `<code>${escaped}</code>` : escaped.replace(/\*\*(.+?)\*\*/g, '<b>$1</b>');
    })
    .join('');
  return [`<details><summary>${id ? anchorTag(id) : ''}${html}</summary>`, '', ...body, '', '</details>'];
}

/**
 * 41010 → "41,010": fixed, locale-free grouping; past a trillion, three digits and the
 * exponent ("2.29e30"), because nobody reads thirty digits. The JSON report keeps them all.
 */
export function count(n: number | bigint | null): string {
  if (n === null) return 'uncounted';
  const digits = String(n);
  if (digits.length <= 12) return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let exp = digits.length - 1;
  let m = Math.floor((Number(digits.slice(0, 4)) + 5) / 10); // three digits, rounded half up
  if (m === 1000) [m, exp] = [100, exp + 1];
  return `${String(m)[0]}.${String(m).slice(1)}e${exp}`;
}

/**
 * A check against its author's expectation, the same words wherever a status shows
 * (summary, headline, configuration and claim tables, run titles): an expected failure
 * reads as one, never as a bold FAIL.
 */
const STATUS_WORD: Record<Status, string> = { pass: 'pass', fail: '**FAIL**', xfail: 'XFAIL (expected)', xpass: '**XPASS** (declared to fail)', incomplete: '*incomplete*' };

/** A status with a detail in parentheses, one pair of them: "XFAIL (expected; holds in 3 of 17 outcomes)". */
function statusText(status: Status, detail?: string): string {
  const word = STATUS_WORD[status];
  if (!detail) return word;
  return word.endsWith(')') ? `${word.slice(0, -1)}; ${detail})` : `${word} (${detail})`;
}

/** How checks of each status read, several at once: "4 fail as declared". */
const STATUS_PLURAL: Record<Status, string> = { pass: 'hold', fail: 'fail', xfail: 'fail as declared', xpass: 'hold though declared to fail', incomplete: 'are undecided' };

/** "6 of 10 table rows hold, 4 fail as declared": the holding ones first, then the others, worst first. */
function checksText(statuses: readonly Status[], noun: string): string {
  const n = statusCounts(statuses);
  const order = (['pass', 'fail', 'xpass', 'incomplete', 'xfail'] as const).filter((st) => n[st]);
  return order.map((st, i) => (i === 0 ? `${n[st]} of ${statuses.length} ${noun} ${STATUS_PLURAL[st]}` : `${n[st]} ${STATUS_PLURAL[st]}`)).join(', ');
}

/** What each ordering rule forbids, for "where the configurations disagree". */
export const RULE_WORDS: Readonly<Record<FetchRule, string>> = {
  fetchInOrder: "a hart's fetches in program order (Ziccid's ir2)",
  interruptAnchorsFenceI: "a FENCE.I in an interrupt handler ordering later fetches after the interrupt's raise (Ziccid's fetches in the global memory order)",
  fetchBeforeWrites: "a fetch ordered before the hart's later stores (ir-decode-w)",
  fetchBeforeReads: "a fetch ordered before the hart's later loads (ir-decode)",
  fenceIOrdersFetches: "FENCE.I ordering earlier fetches before later ones (ir3f, the ISA manual's current text)",
  coherent: 'every fetch reading the latest store (coherent)',
  eventuallyVisible: "stores eventually visible to fetches (Ziccid's eventuality)",
};

/** Text for a table cell: pipes escaped, no line breaks. */
/**
 * A table cell: pipes escaped, one line, and `<` outside code spans written as `&lt;`:
 * objdump's `<func>` is otherwise an unknown HTML tag, which forges drop from the page.
 */
function cell(s: string): string {
  const text = s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return text
    .split('`')
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, '&lt;') : part))
    .join('`');
}

function code(s: string): string {
  return '`' + s.replace(/`/g, "'") + '`';
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.map(cell).join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

/**
 * "holds in 3 of 7 outcomes": the distinct outcomes in which a claim's predicate holds,
 * of all the configuration's. Outcomes, not runs: the number of interleavings that end a
 * way is the search's business, and partial-order reduction does not keep it.
 */
export function outcomeShare(x: ClaimResult, c: ConfigResult): string {
  return `holds in ${count(x.satisfied)} of ${count(c.outcomes.length)} outcome${c.outcomes.length === 1 ? '' : 's'}`;
}

/** Outcomes by class: "new ×3, old ×1". */
export function classesText(classes: Readonly<Record<string, number>>): string {
  return Object.entries(classes)
    .map(([c, n]) => `${c} ×${count(n)}`)
    .join(', ');
}

/** "under ziccif-only and ir3-fetch", "under all 5 configurations", "under both configurations (ziccif-only and ziccid)". */
function underText(list: readonly ConfigResult[], all: readonly ConfigResult[]): string {
  return `under ${configsText(list, all)}`;
}

/** The recorded observations that no longer match what the run saw. */
function changedRecords(r: ScenarioResult): RecordCheck[] {
  return r.records.filter((x) => !x.matches);
}

const recordName = (x: RecordCheck) => (x.recorded.kind === 'outcomes' ? '`outcomes:`' : "the table's `observed:`");

/**
 * The scenario's verdict as its checks give it, configuration by configuration, the
 * worst first: "XFAIL (expected) under all 5 configurations". A recording that changed
 * fails the scenario whatever its checks say: said first, and the checks' verdicts then
 * named as such, so that "FAIL" and "pass" do not stand side by side unexplained.
 */
function verdictText(r: ScenarioResult): string {
  const groups = statusGroupsText(r);
  const changed = changedRecords(r);
  if (!changed.length) return groups;
  const what = changed.map((x) => `${recordName(x)} (line ${x.recorded.pos.line})`);
  return `**FAIL**: what ${listText(what)} record${changed.length === 1 ? 's' : ''} changed · the checks: ${groups}`;
}

/** Each status the configurations came to, the worst first, with those that came to it: "fail under ziccid; pass under ...". */
function statusGroupsText(r: ScenarioResult): string {
  return byStatus(r.configs, (c) => configStatus(r.scenario, c))
    .map((g) => `${STATUS_WORD[g.status]} ${underText(g.configs, r.configs)}`)
    .join('; ');
}

function headline(r: ScenarioResult, anchor: string): string {
  const s = r.scenario;
  const m = s.system.model;
  const model = `stores: ${m.stores}, atomicity: ${atomicityText(m.atomicity)}, fence.i: ${m.fenceI}`;
  const expected = s.xfail !== undefined ? ` · a failure is expected${s.xfailUnder ? ` under ${listText(s.xfailUnder)}` : ''}${s.xfail ? `: ${s.xfail}` : ''}` : '';
  return `${anchorTag(anchor)}**patchlit** ${code(s.name)}: ${verdictText(r)}${expected} · ${model}`;
}

function configsSection(r: ScenarioResult): string[] {
  const rows = r.configs.map((c) => {
    const checks = [checksText(c.claims.map((x) => x.status), 'claims')];
    if (c.table) checks.push(checksText(c.table.rows.map((x) => x.status), 'table rows'));
    if (!c.complete) checks.push(stopText(c));
    else if (!c.outcomes.length) checks.push('no run ends: every run loops forever, so no claim about how runs end holds');
    // Cut off by the clock, the states reached are how far it got in the time (verdict/cutoff.ts): not reported.
    // A search shared with another configuration (verdict/share.ts): its states are that search's.
    const states = c.stopped === 'time' ? '—' : c.searchedAs ? `${count(c.stats.states)} (searched as ${code(c.searchedAs)})` : count(c.stats.states);
    return [code(c.model.fetch), STATUS_WORD[configStatus(r.scenario, c)], checks.join('; '), states, count(c.outcomes.length)];
  });
  return table(['Configuration', 'Verdict', 'Checks', 'States', 'Outcomes'], rows);
}

/** Claims are numbered as written, so that a run shown for one can be referred to from another. */
function claimsSection(r: ScenarioResult): string[] {
  if (!r.scenario.claims.length) return [];
  return table(
    ['#', 'Claim', ...r.configs.map(configName)],
    r.scenario.claims.map((claim, i) => [
      String(i + 1),
      code(claim.text) + (claim.because ? ` (${claim.because})` : '') + (claim.xfail ? ` (expected to fail: ${claim.xfail})` : ''),
      ...r.configs.map((c) => {
        const x = c.claims[i];
        // A search cut short saw only some of the outcomes: then there is no count to give.
        const counted = c.complete && (x.claim.quantifier === 'sometimes' || x.claim.quantifier === 'never') && (x.verdict === 'fail' || x.claim.quantifier === 'sometimes');
        return statusText(x.status, counted ? outcomeShare(x, c) : undefined);
      }),
    ]),
  );
}

/** Where a claim holds under some configurations and not others: the rules that decide it. */
function disagreementsSection(r: ScenarioResult): string[] {
  if (!r.explanations.length) return [];
  const out = ['Where the configurations disagree:', ''];
  const list = listText;
  const rules = (d: RuleExplanation['deciders'][number]) => (d.rules.length ? d.rules.map((k) => RULE_WORDS[k]).join('; ') : 'no rule the others lack');
  for (const e of r.explanations) {
    const claim = r.scenario.claims[e.claim];
    const by = e.deciders.map((d) => `${d.config} (${rules(d)})`);
    if (claim.quantifier === 'sometimes') out.push(`- ${code(claim.text)} can happen under ${list(e.holdsUnder)} but not under ${list(by)}: the rules named forbid it.`);
    else out.push(`- ${code(claim.text)} fails under ${list(e.failsUnder)} and holds under ${list(by)}: each of those forbids every counterexample, which therefore needs their absence.`);
  }
  return out;
}

function observedText(part: RowResult['parts'][number]): string {
  if (!part.observed) return 'never';
  return classesText(part.classes);
}

/** The author's table, judged under each configuration; observed counts from the first where a row fails (else the first). */
function tableSection(r: ScenarioResult, names: Names): string[] {
  const spec = r.scenario.table!;
  const tables = r.configs.map((c) => c.table!);
  const out = [
    `The author's table: signatures of ${spec.harts.map((h) => names.hart(h)).join(', ')}, where ${letterText(spec, names, code)}. Observed: in how many distinct outcomes each signature shows, by class.`,
    '',
    ...table(
      ['Sequence', 'Claimed', 'Observed', ...r.configs.map(configName)],
      spec.rows.map((row, k) => {
        const text = (t: TableResult) =>
          t.rows[k].parts
            .map((p, i) => (i === 0 && t.rows[k].parts.length === 1 ? observedText(p) : `${code(p.signature)}: ${observedText(p)}${p.verdict === 'fail' ? (p.expect === 'impossible' ? ' (claimed impossible)' : ` (claimed ${p.expect})`) : ''}`))
            .join('; ');
        // One observation when every configuration saw the same; else the first where the row fails.
        const shown = tables.find((t) => t.rows[k].verdict === 'fail') ?? tables[0];
        const same = tables.every((t) => text(t) === text(shown));
        const from = same ? '' : ` (${configName(r.configs[tables.indexOf(shown)])})`;
        const claimed = row.text + (row.xfail ? ` (expected to fail${row.xfail ? `: ${row.xfail}` : ''})` : '');
        return [code(row.signature), claimed, text(shown) + from, ...tables.map((t) => STATUS_WORD[t.rows[k].status])];
      }),
    ),
  ];
  // Each signature no row mentions, with what each configuration saw (configurations that saw the same, together).
  const unlisted = new Map<string, Map<string, ConfigResult[]>>();
  tables.forEach((t, i) =>
    t.unlisted.forEach((sig) => {
      const byText = unlisted.get(sig) ?? new Map<string, ConfigResult[]>();
      const text = classesText(t.signatures.get(sig)!.classes);
      byText.set(text, [...(byText.get(text) ?? []), r.configs[i]]);
      unlisted.set(sig, byText);
    }),
  );
  if (unlisted.size) {
    const sorted = [...unlisted.keys()].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    const line = (sig: string) => [...unlisted.get(sig)!].map(([text, cs]) => `${text} ${underText(cs, r.configs)}`).join('; ');
    const items = sorted.map((sig) => `- ${code(sig)}: ${line(sig)}`);
    if (items.length > FOLD_ROWS) out.push('', ...folded(`Observed but not in the table (${items.length})`, items));
    else out.push('', 'Observed but not in the table:', '', ...items);
  }
  return out;
}

/** Every outcome under any configuration, with the length of its shortest run under each. */
function outcomesSection(r: ScenarioResult, names: Names): string[] {
  const s = r.scenario;
  const harts = s.system.harts;
  const grouped = new Set(r.symmetry.flat());
  const callsOf = (o: Outcome, i: number) => o.tasks[i].calls.map((c) => `${c.stub} (from ${names.addr(c.site)})`).join(', ') || 'no calls';
  const anyCalls = r.configs.some((c) => c.outcomes.some((o) => o.tasks.some((h) => h.calls.length)));
  const finals = herdStates(s);
  // Calls are the tasks' (spare harts have none). Interchangeable tasks share a column:
  // which of them made which calls is not told apart. A task that may move to another
  // hart is named as a task (after the hart it starts on, as `outcomes:` lines name it):
  // its column holds its calls wherever it made them.
  const moves = tasksMayMove(s);
  const whose = (g: readonly number[]) => {
    const list = g.map((i) => harts[i].name).join(', ');
    return moves ? `calls of task${g.length > 1 ? 's' : ''} ${list}` : `${list} calls`;
  };
  const columns = [
    ...(anyCalls ? taskIndices(s).flatMap((i) => (grouped.has(i) ? [] : [{ title: whose([i]), cell: (o: Outcome) => callsOf(o, i) }])) : []),
    ...(anyCalls
      ? taskGroups(r).map((g) => ({
          title: `${whose(g)}, in some order`,
          cell: (o: Outcome) => g.map((i) => callsOf(o, i)).sort().join('; '),
        }))
      : []),
    ...(finals ? [{ title: 'Final state', cell: (o: Outcome) => finals(o.final) }] : []),
  ];
  // Outcomes that differ only in what the columns do not show (what a claim's `executed`
  // saw, a signature) share a row: the shortest of their runs, and how many they are.
  const rows = new Map<string, { cells: string[]; seen: Array<{ steps: number; outcomes: number } | undefined> }>();
  r.configs.forEach((c, k) => {
    for (const o of c.outcomes) {
      const cells = [endingText(o.ending, names), ...columns.map((col) => col.cell(o))];
      const key = cells.join('\u0000');
      const row = rows.get(key) ?? { cells, seen: r.configs.map(() => undefined) };
      const was = row.seen[k];
      row.seen[k] = was ? { steps: Math.min(was.steps, o.depth), outcomes: was.outcomes + 1 } : { steps: o.depth, outcomes: 1 };
      rows.set(key, row);
    }
  });
  const cell = (x: { steps: number; outcomes: number } | undefined) => (x === undefined ? '—' : x.outcomes > 1 ? `${x.steps} (${x.outcomes} outcomes)` : String(x.steps));
  const body = [...rows.values()].map((row) => [...row.cells, ...row.seen.map(cell)]);
  const out = table(['Ending', ...columns.map((c) => c.title), ...r.configs.map((c) => `Steps (${configName(c)})`)], body);
  const note = '— where a configuration never ends so; steps: its shortest run';
  const tasks = moves && anyCalls ? ['', 'A task is named after the hart it starts on; preempted, it may go on on another hart, and the calls it makes there are still its own.'] : [];
  if (body.length <= FOLD_ROWS) return [`Outcomes (${note}):`, '', ...out, ...tasks];
  return [...folded(`Outcomes (${body.length}; ${note})`, out), ...tasks];
}

/**
 * A machine's histogram beside the model's outcomes: every outcome the model allows under
 * the machine's configuration, how often the machine showed it, then those it showed that
 * the model forbids (which fail the scenario, unless the entry declares them).
 */
function hardwareSection(h: HardwareCheck): string[] {
  const c = h.comparison;
  const v = hardwareVerdict(h);
  const verdict = v.failing ? `**${v.text}**` : v.text;
  const first = (n: number | undefined) => (n === undefined ? '—' : String(n));
  const rows = [
    ...c.allowed.map((a) => [code(a.outcome), 'allowed', count(a.count), a.count ? first(a.first) : '—']),
    ...c.forbidden.map((f) => [code(f.outcome), '**FORBIDDEN**', count(f.count), first(f.first)]),
  ];
  return [
    `Seen on ${h.run.machine} (${code(h.run.results)}: ${count(c.iterations)} iterations, held against the model under ${c.config}): ${verdict}.`,
    '',
    ...table(['Outcome', 'Model', `Times seen on ${h.run.machine}`, 'First iteration'], rows),
  ];
}

/** Whether a task may be resumed on another hart than the one it was preempted on. */
function tasksMayMove(s: Scenario): boolean {
  return s.system.harts.length > 1 && s.system.harts.some((h) => h.preempt?.migrate);
}

/** The initial value of a datum of 1, 2, 4 or 8 bytes (little-endian), as objdump's hex; '' for anything else. */
function datumHex(s: Scenario, addr: bigint, size: number): string {
  if (![1, 2, 4, 8].includes(size)) return '';
  const r = s.system.regions.find((x) => addr >= x.base && addr + BigInt(size) <= x.base + BigInt(x.bytes.length));
  if (!r) return '';
  const at = Number(addr - r.base);
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(r.bytes[at + i]);
  return v.toString(16).padStart(size * 2, '0');
}

/** A listing's source cell: the assembly, then the name `insns:` gives it, if any. */
function nameSource(source: string, name?: string): string {
  return code(source.trim()) + (name !== undefined && name !== source ? ` (${code(name)})` : '');
}

/**
 * The instructions the patch stores, as it stores them: assembled where they go (an
 * AUIPC's encoding depends on it), each once, in the order the patch first stores it.
 * They are in no memory before the store, so they have no address of their own.
 */
function storedRows(s: Scenario, names: Names): string[][] {
  const rows = new Map<string, string[]>();
  for (const p of s.system.patchers) {
    p.steps.forEach((step, k) => {
      if (step.kind !== 'store' || !step.insn) return;
      const bits = Number(step.value);
      const key = `${step.addr}:${bits}`;
      if (rows.has(key)) return;
      const { name, source } = step.insn;
      rows.set(key, [`stored by ${p.name} at ${names.addr(step.addr)} (${lineRef(p.positions[k], s)})`, step.value.toString(16).padStart(step.size * 2, '0'), code(names.insn(bits, step.addr)), nameSource(source, name)]);
    });
  }
  return [...rows.values()];
}

/** Named instructions (`insns:`) the claims and the table's classes look for, by where and what: "ffffffff8001f840:ffff2297" → AUIPC. */
function namedInClaims(s: Scenario): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (p: Predicate): void => {
    if (p.kind === 'executed') {
      let pc = p.at;
      for (const insn of p.insns) {
        if (insn.source !== undefined && insn.source !== insn.text) out.set(`${pc}:${insn.bits}`, insn.text);
        pc += BigInt(insn.length);
      }
    } else if (p.kind === 'not') walk(p.arg);
    else if (p.kind === 'all' || p.kind === 'any') p.args.forEach(walk);
  };
  for (const c of s.claims) walk(c.predicate);
  for (const c of s.table?.classes ?? []) walk(c.predicate);
  return out;
}

function listingSection(s: Scenario, names: Names): string[] {
  // The code a claim names an instruction of says so: the reader of `[AUIPC, JALR']` finds AUIPC here, JALR' among the stored words.
  const named = namedInClaims(s);
  const rows = s.listing.map((l) => {
    const name = l.bits === undefined ? undefined : named.get(`${l.addr}:${l.bits}`);
    return [
      `${l.addr.toString(16)} <${names.addr(l.addr)}>`,
      l.bits === undefined ? datumHex(s, l.addr, l.size) : l.bits.toString(16).padStart(l.size * 2, '0'),
      l.bits === undefined ? '' : code(names.insn(l.bits, l.addr)),
      nameSource(l.source, name),
    ];
  });
  return ['<details><summary>Code as assembled</summary>', '', ...table(['Address', 'Bits', 'Instruction', 'Source'], [...rows, ...storedRows(s, names)]), '', '</details>'];
}

/** A run as an interleaving table: one column per hart, one row per step; a lasso marks where it repeats. */
export function runTable(run: Run, s: Scenario, names: Names): string[] {
  const actors = [...s.system.patchers.map((p) => p.name), ...s.system.harts.map((h) => h.name)];
  const rows: string[][] = [];
  run.steps.forEach((step, i) => {
    if (run.loopFrom === i) rows.push(['⟳', ...actors.map((_, k) => (k === 0 ? `from here, steps ${i + 1} to ${run.steps.length} repeat forever` : ''))]);
    const who = actorOf(step.transition, names);
    rows.push([String(i + 1), ...actors.map((a) => (a === who ? stepText(step, names) : ''))]);
  });
  return table(['#', ...actors], rows);
}

/** A run shown in full: its table, then the same as a sequence diagram. */
function runShown(run: Run, s: Scenario, names: Names): string[] {
  return [...runTable(run, s, names), '', ...mermaidSequence(run, s, names)];
}

/**
 * The runs a scenario's section shows, each once. Checks often fail by the same run (a
 * wild jump breaks every claim about where the hart goes): the first shows it in full
 * under an anchor, the others refer to it.
 */
class ShownRuns {
  private readonly seen = new Map<string, { readonly id: string; readonly what: string }>();

  constructor(
    private readonly r: ScenarioResult,
    private readonly names: Names,
    private readonly anchor: string,
  ) {}

  /**
   * A run after its title: in full the first time, where `what` ("the counterexample to
   * claim 2") will name it; a later time, a line that links to it. `fold` folds it
   * under its title: always (a witness), or when it is long (a failure).
   */
  show(title: string, run: Run, what: string, fold: 'always' | 'long'): string[] {
    const key = runKey(run, this.names);
    const first = this.seen.get(key);
    if (first) return ['', `${title}: the same run as [${first.what}](#${first.id}), above.`];
    // A '.' no scenario's anchor has: "a" and its run 1 never share an id with a scenario named "a-run-1".
    const id = `${this.anchor}.run-${this.seen.size + 1}`;
    this.seen.set(key, { id, what });
    const heading = `${title}: the shortest run (${runSummary(run, this.names, '; ')})`;
    const body = runShown(run, this.r.scenario, this.names);
    if (fold === 'always' || run.steps.length > FOLD_STEPS) return ['', ...folded(heading, body, id)];
    return ['', `${anchorTag(id)}${heading}:`, '', ...body];
  }
}

function failuresSection(r: ScenarioResult, shown: ShownRuns): string[] {
  const out: string[] = [];
  const names = new Names(r.scenario);
  r.scenario.claims.forEach((claim, i) => {
    const items = r.configs.flatMap((c) => (c.claims[i].verdict === 'fail' && c.claims[i].counterexample ? [{ config: c, run: c.claims[i].counterexample! }] : []));
    for (const g of sameRuns(items, names)) {
      const expected = g.configs.every((c) => c.claims[i].status === 'xfail') ? ' (an expected failure)' : '';
      out.push(...shown.show(`Counterexample to ${code(claim.text)}${expected} ${underText(g.configs, r.configs)}`, g.run, `the counterexample to claim ${i + 1}`, 'long'));
    }
  });
  (r.scenario.table?.rows ?? []).forEach((_row, k) => {
    const sigs = new Set<string>();
    for (const c of r.configs) for (const p of c.table!.rows[k].parts) if (p.verdict === 'fail' && p.expect === 'impossible') sigs.add(p.signature);
    for (const sig of sigs) {
      const items = r.configs.flatMap((c) => {
        const p = c.table!.rows[k].parts.find((x) => x.signature === sig);
        return p && p.verdict === 'fail' ? [{ config: c, run: c.table!.signatures.get(sig)!.example }] : [];
      });
      for (const g of sameRuns(items, names)) {
        const expected = g.configs.every((c) => c.table!.rows[k].status === 'xfail') ? ' (an expected failure)' : '';
        out.push(...shown.show(`${code(sig)}, claimed impossible, happens${expected} ${underText(g.configs, r.configs)}`, g.run, `the run in which ${code(sig)} happens`, 'long'));
      }
    }
  });
  return out;
}

/** How each `sometimes` claim that holds comes about: its shortest run, folded away. */
function witnessesSection(r: ScenarioResult, shown: ShownRuns): string[] {
  const out: string[] = [];
  const names = new Names(r.scenario);
  r.scenario.claims.forEach((claim, i) => {
    if (claim.quantifier !== 'sometimes') return;
    const items = r.configs.flatMap((c) => (c.claims[i].verdict === 'pass' && c.claims[i].witness ? [{ config: c, run: c.claims[i].witness! }] : []));
    for (const g of sameRuns(items, names)) {
      out.push(...shown.show(`How ${code(claim.text)} happens ${underText(g.configs, r.configs)}`, g.run, `the run that shows claim ${i + 1}`, 'always'));
    }
  });
  return out;
}


/** Recorded observations that changed: what the notebook holds against what the run saw, as a diff. */
function recordsSection(r: ScenarioResult): string[] {
  const out: string[] = [];
  for (const x of changedRecords(r)) {
    out.push(`**FAIL**: ${recordName(x)} (line ${x.recorded.pos.line}) no longer matches what the run saw (\`patchlit run --update\` records it):`, '', '```diff');
    for (const d of recordDiff(x)) out.push(`${d.mark} ${d.line}`);
    out.push('```', '');
  }
  return out;
}

/**
 * An anchor a link can lead to, in the one form both a forge and the HTML page keep: an
 * empty `<a id>` inline. GitHub prefixes every id it renders with `user-content-` and
 * follows `#name` links to it; html.ts passes exactly this tag through. A heading would
 * get an id of its own, but the results have no heading: they follow the author's block
 * in the author's section.
 */
function anchorTag(id: string): string {
  return `<a id="${id}"></a>`;
}

/**
 * Each scenario's anchor: "scenario-" and its name, lower case, anything but letters,
 * digits, `-` and `_` made a `-` (the characters an id keeps through every forge); a
 * second scenario whose name gives the same is numbered. The prefix keeps them apart from
 * the ids a forge gives the author's headings ("## three-step" is `#three-step`).
 */
export function scenarioAnchors(results: readonly ScenarioResult[]): string[] {
  const used = new Set<string>();
  return results.map((r) => {
    const base = `scenario-${r.scenario.name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '')}`;
    let id = base;
    for (let k = 2; used.has(id); k++) id = `${base}-${k}`;
    used.add(id);
    return id;
  });
}

/** The results of one scenario, as the lines inserted after its block; `anchor` is where the summary's link leads. */
export function scenarioSection(r: ScenarioResult, anchor = scenarioAnchors([r])[0]): string[] {
  const names = new Names(r.scenario);
  const out = ['', headline(r, anchor), ''];
  for (const w of r.scenario.warnings ?? []) out.push(`> **Warning** (${lineRef(w.pos, r.scenario)}): ${warningText(w)}`, '');
  out.push(...configsSection(r), '');
  const claims = claimsSection(r);
  if (claims.length) out.push(...claims, '');
  const disagree = disagreementsSection(r);
  if (disagree.length) out.push(...disagree, '');
  if (r.scenario.table) out.push(...tableSection(r, names), '');
  out.push(...outcomesSection(r, names), '');
  for (const h of r.hardware ?? []) out.push(...hardwareSection(h), '');
  out.push(...recordsSection(r));
  out.push(...listingSection(r.scenario, names));
  const shown = new ShownRuns(r, names, anchor);
  out.push(...failuresSection(r, shown));
  out.push(...witnessesSection(r, shown));
  return out;
}

/** What each scenario's checks came to, over every configuration (each check's worst status). */
function checksSummary(r: ScenarioResult): string {
  const out = [];
  if (r.scenario.claims.length) out.push(checksText(r.scenario.claims.map((_, i) => worstStatus(r.configs.map((c) => c.claims[i].status))), 'claims'));
  if (r.scenario.table) out.push(checksText(r.scenario.table.rows.map((_, k) => worstStatus(r.configs.map((c) => c.table!.rows[k].status))), 'table rows'));
  for (const x of changedRecords(r)) out.push(`${recordName(x)} changed`);
  return out.join('; ') || 'no checks';
}

/**
 * The notebook's verdicts before anything else, one row per scenario linked to its
 * results: its status; the configurations, with each one's status where they differ;
 * and its checks in counts. A reviewer sees at the top what the report then shows.
 * Configurations every scenario shares are named once, above the table.
 */
function summarySection(results: readonly ScenarioResult[], anchors: readonly string[]): string[] {
  const n = statusCounts(results.map((r) => r.status));
  const counts = (['pass', 'fail', 'xfail', 'xpass', 'incomplete'] as const).filter((st) => n[st]).map((st) => `${n[st]} ${STATUS_WORD[st]}`);
  const namesOf = (r: ScenarioResult) => r.configs.map(configName).join(', ');
  const shared = results.every((r) => namesOf(r) === namesOf(results[0])) ? results[0].configs : undefined;
  const rows = results.map((r, i) => {
    const split = byStatus(r.configs, (c) => configStatus(r.scenario, c)).length > 1;
    const all = configsShort(r.configs, r.configs) || 'none';
    const under = split ? statusGroupsText(r) : shared || r.configs.length < 2 ? all : `${all}: ${namesOf(r)}`;
    const verdict = changedRecords(r).length ? '**FAIL**: recorded observations changed' : STATUS_WORD[r.status];
    return [`[${code(r.scenario.name)}](#${anchors[i]})`, verdict, under, checksSummary(r)];
  });
  const judged = shared?.length ? `, judged under ${listText(shared.map(configName))}` : '';
  const heading = `${results.length} scenario${results.length === 1 ? '' : 's'}${judged}: ${listText(counts)}. Each name links to the scenario's results, after its block.`;
  return [heading, '', ...table(['Scenario', 'Verdict', 'Configurations', 'Checks'], rows)];
}

/**
 * Where the summary goes: after the notebook's front matter, which must stay first, and
 * after its title when it opens with one (an ATX `# ` heading), so the page keeps its
 * title first; else first.
 */
function summaryAt(lines: readonly string[]): number {
  const start = (frontMatterEnd(lines) ?? -1) + 1;
  const first = lines.findIndex((l, i) => i >= start && l.trim() !== '');
  return first >= 0 && /^ {0,3}# /.test(lines[first]) ? first + 1 : start;
}

export function renderMarkdown(nb: Notebook, results: readonly ScenarioResult[]): string {
  const banner = `<!-- Generated by patchlit from ${nb.file}: edit that file, not this one. -->`;
  const anchors = scenarioAnchors(results);
  const summary = results.length ? summarySection(results, anchors) : [];
  if (nb.kind !== 'markdown') {
    const sections = results.flatMap((r, i) => scenarioSection(r, anchors[i]));
    return [banner, '', `# ${results.map((r) => r.scenario.name).join(', ')}`, '', ...summary, '', '```' + nb.kind, nb.text.replace(/\n$/, ''), '```', ...sections, ''].join('\n');
  }
  const lines = nb.text.split('\n');
  const after = new Map<number, string[]>();
  nb.entries.forEach((e, i) => after.set(e.block.endLine, [...(after.get(e.block.endLine) ?? []), ...scenarioSection(results[i], anchors[i])]));
  const top = summaryAt(lines);
  // Blank lines around the summary, where the notebook has none.
  const opening = summary.length ? [...(top > 0 ? [''] : []), ...summary, ...(lines[top]?.trim() === '' ? [] : [''])] : [];
  const out: string[] = [banner];
  lines.forEach((line, i) => {
    if (i === top) out.push(...opening);
    const inserted = after.get(i);
    if (inserted) out.push(...inserted, '');
    out.push(line);
  });
  if (top === lines.length) out.push(...opening);
  const tail = after.get(lines.length);
  if (tail) out.push(...tail);
  return out.join('\n');
}
