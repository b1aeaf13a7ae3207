// The notebook rendered back as GitHub-flavoured Markdown: every byte of the author's
// text kept, each scenario block followed by its results: verdict, claims, the author's
// table against what was observed, outcomes, the code as assembled, and the shortest
// counterexample of every failed check. Nothing machine-dependent goes in (no times).

import type { Notebook, Scenario, SignatureTable } from '../scenario/types.ts';
import type { ClaimResult, Outcome, RowResult, Run, ScenarioResult, TableResult, Verdict } from '../verdict/types.ts';
import { actorOf, endingText, Names, stepText } from './describe.ts';

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

/** Text for a table cell: pipes escaped, no line breaks. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(s: string): string {
  return '`' + s.replace(/`/g, "'") + '`';
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

function classesText(classes: Readonly<Record<string, bigint>>): string {
  return Object.entries(classes)
    .map(([c, n]) => `${c} ×${count(n)}`)
    .join(', ');
}

function letterText(t: SignatureTable, names: Names): string {
  return t.alphabet
    .map((l) => {
      if (l.event.kind === 'fence.i') return `${code(l.letter)} a FENCE.I`;
      const after = l.event.after !== undefined ? ` right after ${names.addr(l.event.after)}` : '';
      return `${code(l.letter)} executes ${names.addr(l.event.at)}${after}`;
    })
    .join(', ');
}

function headline(r: ScenarioResult): string {
  const s = r.scenario;
  const held = r.claims.filter((c) => c.verdict === 'pass').length;
  const parts = [`${held} of ${r.claims.length} claims hold`];
  if (r.table) parts.push(`${r.table.rows.filter((x) => x.verdict === 'pass').length} of ${r.table.rows.length} table rows hold`);
  if (!r.complete) parts.push(`search stopped at its ${r.stopped === 'time' ? 'time' : 'state'} budget`);
  const model = `fetch: ${s.system.model.fetch}, stores: ${s.system.model.stores}`;
  return `**patchlit** ${code(s.name)}: ${VERDICT_WORD[r.verdict]} (${parts.join('; ')}) · ${count(r.stats.states)} states, ${count(r.stats.executions)} runs · ${model}`;
}

function claimsSection(r: ScenarioResult): string[] {
  if (!r.claims.length) return [];
  const total = r.stats.executions;
  return table(
    ['Claim', 'Verdict', 'Runs where the predicate holds'],
    r.claims.map((c) => [
      code(c.claim.text) + (c.claim.because ? ` (${c.claim.because})` : ''),
      VERDICT_WORD[c.verdict],
      `${count(c.satisfied)} of ${count(total)}`,
    ]),
  );
}

function observedText(part: RowResult['parts'][number]): string {
  if (!part.observed) return 'never';
  return classesText(part.classes);
}

function tableSection(r: ScenarioResult, t: TableResult, names: Names): string[] {
  const spec = r.scenario.table!;
  const out = [
    `The author's table: signatures of ${spec.harts.map((h) => names.hart(h)).join(', ')}, where ${letterText(spec, names)}.`,
    '',
    ...table(
      ['Sequence', 'Claimed', 'Observed', 'Verdict'],
      t.rows.map((row) => [
        code(row.row.signature),
        row.row.text,
        row.parts
          .map((p, i) => (i === 0 && row.parts.length === 1 ? observedText(p) : `${code(p.signature)}: ${observedText(p)}${p.verdict === 'fail' ? (p.expect === 'impossible' ? ' (claimed impossible)' : ` (claimed ${p.expect})`) : ''}`))
          .join('; '),
        VERDICT_WORD[row.verdict],
      ]),
    ),
  ];
  if (t.unlisted.length) {
    const list = t.unlisted.map((s) => `${code(s)} (${classesText(t.signatures.get(s)!.classes)})`).join(', ');
    out.push('', `Observed but not in the table: ${list}.`);
  }
  return out;
}

function outcomesSection(r: ScenarioResult, names: Names): string[] {
  const harts = r.scenario.system.harts;
  const grouped = new Set(r.symmetry.flat());
  const callsOf = (o: Outcome, i: number) => o.harts[i].calls.map((c) => `${c.stub} (from ${names.addr(c.site)})`).join(', ') || 'no calls';
  // Interchangeable harts share a column: which of them made which calls is not told apart.
  const columns = [
    ...harts.flatMap((h, i) => (grouped.has(i) ? [] : [{ title: `${h.name} calls`, cell: (o: Outcome) => callsOf(o, i) }])),
    ...r.symmetry.map((g) => ({
      title: `${g.map((i) => harts[i].name).join(', ')} calls, in some order`,
      cell: (o: Outcome) => g.map((i) => callsOf(o, i)).sort().join('; '),
    })),
  ];
  const rows = r.outcomes.map((o: Outcome) => [endingText(o.ending, names), ...columns.map((c) => c.cell(o)), count(o.runs)]);
  const out = table(['Ending', ...columns.map((c) => c.title), 'Runs'], rows);
  if (rows.length <= 12) return ['Outcomes:', '', ...out];
  return ['<details><summary>Outcomes (' + rows.length + ')</summary>', '', ...out, '', '</details>'];
}

function listingSection(s: Scenario, names: Names): string[] {
  const rows = s.listing.map((l) => [
    `${l.addr.toString(16)} <${names.addr(l.addr)}>`,
    l.bits === undefined ? '' : l.bits.toString(16).padStart(l.size * 2, '0'),
    l.bits === undefined ? '' : code(names.insn(l.bits, l.addr)),
    code(l.source.trim()),
  ]);
  return ['<details><summary>Code as assembled</summary>', '', ...table(['Address', 'Bits', 'Instruction', 'Source'], rows), '', '</details>'];
}

/** A run as an interleaving table: one column per hart, one row per step. */
export function runTable(run: Run, s: Scenario, names: Names): string[] {
  const actors = [...s.system.patchers.map((p) => p.name), ...s.system.harts.map((h) => h.name)];
  const rows = run.steps.map((step, i) => {
    const who = actorOf(step.transition, names);
    return [String(i + 1), ...actors.map((a) => (a === who ? stepText(step, names) : ''))];
  });
  return table(['#', ...actors], rows);
}

function runSection(title: string, run: Run, s: Scenario, names: Names): string[] {
  return [`${title} (${run.steps.length} steps; ending: ${endingText(run.ending, names)}):`, '', ...runTable(run, s, names)];
}

function failuresSection(r: ScenarioResult, names: Names): string[] {
  const out: string[] = [];
  r.claims.forEach((c: ClaimResult) => {
    if (c.verdict !== 'fail' || !c.counterexample) return;
    out.push('', ...runSection(`Counterexample to ${code(c.claim.text)}: the shortest run`, c.counterexample, r.scenario, names));
  });
  for (const row of r.table?.rows ?? []) {
    for (const p of row.parts) {
      if (p.verdict !== 'fail' || p.expect !== 'impossible') continue;
      const sig = r.table!.signatures.get(p.signature)!;
      out.push('', ...runSection(`${code(p.signature)}, claimed impossible, happens: the shortest run`, sig.example, r.scenario, names));
    }
  }
  return out;
}

/** The results of one scenario, as the lines inserted after its block. */
export function scenarioSection(r: ScenarioResult): string[] {
  const names = new Names(r.scenario);
  const out = ['', headline(r), ''];
  const claims = claimsSection(r);
  if (claims.length) out.push(...claims, '');
  if (r.table) out.push(...tableSection(r, r.table, names), '');
  out.push(...outcomesSection(r, names), '');
  out.push(...listingSection(r.scenario, names));
  out.push(...failuresSection(r, names));
  return out;
}

export function renderMarkdown(nb: Notebook, results: readonly ScenarioResult[]): string {
  const banner = `<!-- Generated by patchlit from ${nb.file}: edit that file, not this one. -->`;
  if (nb.kind === 'yaml') {
    const sections = results.flatMap((r) => scenarioSection(r));
    return [banner, '', `# ${results.map((r) => r.scenario.name).join(', ')}`, '', '```yaml', nb.text.replace(/\n$/, ''), '```', ...sections, ''].join('\n');
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
