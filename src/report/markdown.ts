// The notebook rendered back as GitHub-flavoured Markdown: every byte of the author's
// text kept, each scenario block followed by its results: the verdict of every claim under
// every fetch configuration judged, the rules that decide where configurations disagree,
// the author's table against what was observed, the outcomes, the code as assembled, and
// the shortest counterexample of every failed check. Nothing machine-dependent goes in.

import type { FetchRule } from '../machine/model.ts';
import type { Notebook, Scenario } from '../scenario/types.ts';
import { recordDiff } from '../verdict/records.ts';
import type { ClaimResult, ConfigResult, Outcome, RowResult, RuleExplanation, Run, ScenarioResult, Status, TableResult, Verdict } from '../verdict/types.ts';
import { actorOf, endingText, letterText, lineRef, Names, warningText, taskGroups, taskIndices, runSummary, sameRuns, stepText, stopText } from './describe.ts';
import { herdStates } from './herd.ts';
import { mermaidSequence } from './mermaid.ts';

/** Longer lists and tables than these are folded into a <details> block. */
const FOLD_STEPS = 40;
const FOLD_ROWS = 12;

/**
 * Lines folded under a summary. GitHub renders Markdown inside <details> only with a
 * blank line after the <summary> line and before </details>.
 */
/**
 * A folded block. Its summary is HTML, where Markdown is not read: code spans become
 * <code> elements and the text is escaped, or a forge shows backticks and drops `<func>`.
 */
function folded(summary: string, body: readonly string[]): string[] {
  const html = summary
    .split('`')
    .map((part, i) => {
      const escaped = part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return i % 2 === 1 ? `<code>${escaped}</code>` : escaped.replace(/\*\*(.+?)\*\*/g, '<b>$1</b>');
    })
    .join('');
  return [`<details><summary>${html}</summary>`, '', ...body, '', '</details>'];
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

const VERDICT_WORD: Record<Verdict, string> = { pass: 'pass', fail: '**FAIL**', incomplete: '*incomplete*' };
/** A check against its author's expectation: an expected failure reads as one, not as a red FAIL. */
const STATUS_WORD: Record<Status, string> = { pass: 'pass', fail: '**FAIL**', xfail: 'XFAIL (expected)', xpass: '**XPASS** (declared to fail)', incomplete: '*incomplete*' };

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

const configName = (c: ConfigResult) => c.model.fetch;

/** "under ziccif-only and ir3-fetch", "under all 5 configurations". */
function underText(list: readonly ConfigResult[], all: readonly ConfigResult[]): string {
  if (list.length === all.length && all.length === 2) return 'under both configurations';
  if (list.length === all.length && all.length > 2) return `under all ${all.length} configurations`;
  const names = list.map(configName);
  return `under ${names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0]}`;
}


function headline(r: ScenarioResult): string {
  const s = r.scenario;
  const by = (v: Verdict) => r.configs.filter((c) => c.verdict === v);
  const parts = (['fail', 'incomplete', 'pass'] as Verdict[]).filter((v) => by(v).length).map((v) => `${VERDICT_WORD[v]} ${underText(by(v), r.configs)}`);
  const m = s.system.model;
  const model = `stores: ${m.stores}, atomicity: ${m.atomicity.kind === 'line' ? `line ${m.atomicity.bytes}` : m.atomicity.kind}, fence.i: ${m.fenceI}`;
  // Where the author's expectations change the outcome (expected failures, a changed recording), say so first.
  const expected = r.status === 'xfail' ? '**XFAIL**, as declared' : r.status === 'xpass' ? '**XPASS**: declared to fail, and nothing does' : r.status === 'fail' && r.verdict !== 'fail' ? '**FAIL**: a recorded observation changed' : '';
  const reason = s.xfail ? ` (${s.xfail})` : '';
  return `**patchlit** ${code(s.name)}: ${expected ? `${expected}${r.status !== 'fail' ? reason : ''} · ` : ''}${parts.join('; ')} · ${model}`;
}

function configsSection(r: ScenarioResult): string[] {
  const rows = r.configs.map((c) => {
    const held = c.claims.filter((x) => x.verdict === 'pass').length;
    const checks = [`${held} of ${c.claims.length} claims hold`];
    if (c.table) checks.push(`${c.table.rows.filter((x) => x.verdict === 'pass').length} of ${c.table.rows.length} table rows hold`);
    if (!c.complete) checks.push(stopText(c));
    else if (!c.outcomes.length) checks.push('no run ends: every run loops forever, so no claim about how runs end holds');
    // Cut off by the clock, the states reached are how far it got in the time (verdict/cutoff.ts): not reported.
    // A search shared with another configuration (verdict/share.ts): its states are that search's.
    const states = c.stopped === 'time' ? '—' : c.searchedAs ? `${count(c.stats.states)} (searched as ${code(c.searchedAs)})` : count(c.stats.states);
    return [code(c.model.fetch), VERDICT_WORD[c.verdict], checks.join('; '), states, count(c.outcomes.length)];
  });
  return table(['Configuration', 'Verdict', 'Checks', 'States', 'Outcomes'], rows);
}

function claimsSection(r: ScenarioResult): string[] {
  if (!r.scenario.claims.length) return [];
  return table(
    ['Claim', ...r.configs.map(configName)],
    r.scenario.claims.map((claim, i) => [
      code(claim.text) + (claim.because ? ` (${claim.because})` : '') + (claim.xfail ? ` (expected to fail: ${claim.xfail})` : ''),
      ...r.configs.map((c) => {
        const x = c.claims[i];
        // A search cut short saw only some of the outcomes: then there is no count to give.
        const counted = c.complete && (x.claim.quantifier === 'sometimes' || x.claim.quantifier === 'never') ? ` (${outcomeShare(x, c)})` : '';
        return STATUS_WORD[x.status] + (x.verdict === 'fail' || x.claim.quantifier === 'sometimes' ? counted : '');
      }),
    ]),
  );
}

/** Where a claim holds under some configurations and not others: the rules that decide it. */
function disagreementsSection(r: ScenarioResult): string[] {
  if (!r.explanations.length) return [];
  const out = ['Where the configurations disagree:', ''];
  const list = (xs: readonly string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}` : xs[0]);
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
  // which of them made which calls is not told apart.
  const columns = [
    ...(anyCalls ? taskIndices(s).flatMap((i) => (grouped.has(i) ? [] : [{ title: `${harts[i].name} calls`, cell: (o: Outcome) => callsOf(o, i) }])) : []),
    ...(anyCalls
      ? taskGroups(r).map((g) => ({
          title: `${g.map((i) => harts[i].name).join(', ')} calls, in some order`,
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
  if (body.length <= FOLD_ROWS) return [`Outcomes (${note}):`, '', ...out];
  return folded(`Outcomes (${body.length}; ${note})`, out);
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

function listingSection(s: Scenario, names: Names): string[] {
  const rows = s.listing.map((l) => [
    `${l.addr.toString(16)} <${names.addr(l.addr)}>`,
    l.bits === undefined ? datumHex(s, l.addr, l.size) : l.bits.toString(16).padStart(l.size * 2, '0'),
    l.bits === undefined ? '' : code(names.insn(l.bits, l.addr)),
    code(l.source.trim()),
  ]);
  return ['<details><summary>Code as assembled</summary>', '', ...table(['Address', 'Bits', 'Instruction', 'Source'], rows), '', '</details>'];
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

function runTitle(title: string, run: Run, names: Names): string {
  return `${title} (${runSummary(run, names, '; ')}):`;
}

/** A run shown in full: its table, then the same as a sequence diagram. */
function runShown(run: Run, s: Scenario, names: Names): string[] {
  return [...runTable(run, s, names), '', ...mermaidSequence(run, s, names)];
}

/** A failing run after its title; a long one folded under the title. */
function failingRun(title: string, run: Run, s: Scenario, names: Names): string[] {
  const heading = runTitle(title, run, names);
  if (run.steps.length > FOLD_STEPS) return ['', ...folded(heading.replace(/:$/, ''), runShown(run, s, names))];
  return ['', heading, '', ...runShown(run, s, names)];
}

function failuresSection(r: ScenarioResult, names: Names): string[] {
  const out: string[] = [];
  r.scenario.claims.forEach((claim, i) => {
    const items = r.configs.flatMap((c) => (c.claims[i].verdict === 'fail' && c.claims[i].counterexample ? [{ config: c, run: c.claims[i].counterexample! }] : []));
    for (const g of sameRuns(items, names)) {
      const expected = g.configs.every((c) => c.claims[i].status === 'xfail') ? ' (an expected failure)' : '';
      out.push(...failingRun(`Counterexample to ${code(claim.text)}${expected} ${underText(g.configs, r.configs)}: the shortest run`, g.run, r.scenario, names));
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
        out.push(...failingRun(`${code(sig)}, claimed impossible, happens${expected} ${underText(g.configs, r.configs)}: the shortest run`, g.run, r.scenario, names));
      }
    }
  });
  return out;
}

/** How each `sometimes` claim that holds comes about: its shortest run, folded away. */
function witnessesSection(r: ScenarioResult, names: Names): string[] {
  const out: string[] = [];
  r.scenario.claims.forEach((claim, i) => {
    if (claim.quantifier !== 'sometimes') return;
    const items = r.configs.flatMap((c) => (c.claims[i].verdict === 'pass' && c.claims[i].witness ? [{ config: c, run: c.claims[i].witness! }] : []));
    for (const g of sameRuns(items, names)) {
      const title = runTitle(`How ${code(claim.text)} happens ${underText(g.configs, r.configs)}: the shortest run`, g.run, names).replace(/:$/, '');
      out.push('', ...folded(title, runShown(g.run, r.scenario, names)));
    }
  });
  return out;
}

/** Recorded observations that changed: what the notebook holds against what the run saw, as a diff. */
function recordsSection(r: ScenarioResult): string[] {
  const out: string[] = [];
  for (const x of r.records) {
    if (x.matches) continue;
    const what = x.recorded.kind === 'outcomes' ? '`outcomes:`' : "the table's `observed:`";
    out.push(`**FAIL**: ${what} (line ${x.recorded.pos.line}) no longer matches what the run saw (\`patchlit run --update\` records it):`, '', '```diff');
    for (const d of recordDiff(x)) out.push(`${d.mark} ${d.line}`);
    out.push('```', '');
  }
  return out;
}

/** The results of one scenario, as the lines inserted after its block. */
export function scenarioSection(r: ScenarioResult): string[] {
  const names = new Names(r.scenario);
  const out = ['', headline(r), ''];
  for (const w of r.scenario.warnings ?? []) out.push(`> **Warning** (${lineRef(w.pos, r.scenario)}): ${warningText(w)}`, '');
  out.push(...configsSection(r), '');
  const claims = claimsSection(r);
  if (claims.length) out.push(...claims, '');
  const disagree = disagreementsSection(r);
  if (disagree.length) out.push(...disagree, '');
  if (r.scenario.table) out.push(...tableSection(r, names), '');
  out.push(...outcomesSection(r, names), '');
  out.push(...recordsSection(r));
  out.push(...listingSection(r.scenario, names));
  out.push(...failuresSection(r, names));
  out.push(...witnessesSection(r, names));
  return out;
}

export function renderMarkdown(nb: Notebook, results: readonly ScenarioResult[]): string {
  const banner = `<!-- Generated by patchlit from ${nb.file}: edit that file, not this one. -->`;
  if (nb.kind !== 'markdown') {
    const sections = results.flatMap((r) => scenarioSection(r));
    return [banner, '', `# ${results.map((r) => r.scenario.name).join(', ')}`, '', '```' + nb.kind, nb.text.replace(/\n$/, ''), '```', ...sections, ''].join('\n');
  }
  const lines = nb.text.split('\n');
  const after = new Map<number, string[]>();
  nb.entries.forEach((e, i) => after.set(e.block.endLine, [...(after.get(e.block.endLine) ?? []), ...scenarioSection(results[i])]));
  const out: string[] = [banner];
  lines.forEach((line, i) => {
    const inserted = after.get(i);
    if (inserted) out.push(...inserted, '');
    out.push(line);
  });
  const tail = after.get(lines.length);
  if (tail) out.push(...tail);
  return out.join('\n');
}

