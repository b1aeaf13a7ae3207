// The plain-text report (`patchlit run --format text`), for a reviewer answering on a
// plain-text mailing list or pasting results below a patch's `---` line. That reader
// has the notebook, so its prose is not repeated; and mail clients mangle everything
// else, so the text is ASCII only, carries no Markdown, and no line is longer than the
// width (72 columns by default, the kernel's mail convention). Per scenario: its status,
// each claim's verdict, the author's table against what was observed, herd7-style
// outcome blocks, and the shortest counterexample of every failed check as a lane
// diagram, one column per hart. Nothing machine-dependent goes in.

import type { Notebook, Scenario } from '../scenario/types.ts';
import { scenarioStatus, STATUS_ORDER } from '../verdict/expect.ts';
import type { ClaimResult, ConfigResult, RowResult, Run, ScenarioResult, Status } from '../verdict/types.ts';
import { actorOf, endingText, letterText, lineRef, Names, warningText, taskGroups, taskIndices, runKey, runSummary, sameRuns, stepText } from './describe.ts';
import { herdBlock, herdStates } from './herd.ts';
import { classesText, outcomeShare, RULE_WORDS } from './markdown.ts';

export interface TextOptions {
  /** Longest line, in columns (default 72). */
  readonly width?: number;
}

export const DEFAULT_WIDTH = 72;
/** Below this, hanging indents leave too little room for words. */
export const MIN_WIDTH = 32;
/** A lane narrower than this is unreadable: the steps are then listed one under another. */
const MIN_LANE = 12;

// ---------------------------------------------------------------------------------
// ASCII and line layout

/** Characters authors and our own words commonly use, spelled the way plain-text mail spells them. */
const ASCII_FOR: Readonly<Record<string, string>> = {
  '\u00d7': 'x',
  '\u2014': '--',
  '\u2013': '-',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2212': '-',
  '\u00b1': '+/-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2033': "''",
  '\u2026': '...',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2194': '<->',
  '\u21d2': '=>',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~=',
  '\u00b7': '.',
  '\u2022': 'o',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u00b5': 'u',
  '\u03bc': 'u',
  '\u2227': '/\\',
  '\u2228': '\\/',
  '\u00ac': '~',
  '\u27f3': '(loop)',
  '\u00ab': '<<',
  '\u00bb': '>>',
  '\u00a9': '(c)',
  '\u00b0': ' deg',
};

/** Text transliterated to printable ASCII: accents dropped, known symbols spelled out, anything else `?`. */
export function ascii(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code === 0x0a || (code >= 0x20 && code < 0x7f)) out += ch;
    else if (code === 0x09) out += ' ';
    else if (code < 0x80) continue; // other control characters carry nothing a reader needs
    else if (ASCII_FOR[ch] !== undefined) out += ASCII_FOR[ch];
    else {
      const bare = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += /^[\x20-\x7e]+$/.test(bare) ? bare : '?';
    }
  }
  return out;
}

const spaces = (n: number) => ' '.repeat(Math.max(0, n));

/**
 * Text filled into lines of at most `width` columns, the first starting with `first`,
 * the others with `rest` (a hanging indent). Whitespace runs become one space; a word
 * longer than a whole line is broken where the line ends.
 */
export function wrap(text: string, width: number, first = '', rest = spaces(first.length)): string[] {
  const words = ascii(text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let prefix = first;
  let line = '';
  const flush = () => {
    lines.push((prefix + line).trimEnd());
    prefix = rest;
    line = '';
  };
  for (let word of words) {
    for (;;) {
      const room = Math.max(1, width - prefix.length);
      if ((line ? line.length + 1 : 0) + word.length <= room) {
        line = line ? `${line} ${word}` : word;
        break;
      }
      if (line) {
        flush();
        continue;
      }
      line = word.slice(0, room);
      word = word.slice(room);
      flush();
      if (!word) break;
    }
  }
  if (line || !lines.length) lines.push((prefix + line).trimEnd());
  return lines;
}

/** The last guard: every line ASCII, without trailing blanks, and within the width (hard-broken if something above got it wrong). */
function fit(lines: readonly string[], width: number): string[] {
  return lines.flatMap((raw) => {
    const line = ascii(raw).trimEnd();
    if (line.length <= width) return [line];
    const out: string[] = [];
    for (let i = 0; i < line.length; i += width) out.push(line.slice(i, i + width).trimEnd());
    return out;
  });
}

/** Claim and row text as the author wrote it, on one line. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------------------------
// Words for statuses and configurations

/** The scenario's status, as a lit-style summary says it. */
const SCENARIO_WORD: Readonly<Record<Status, string>> = { pass: 'PASS', fail: 'FAIL', xfail: 'XFAIL', xpass: 'XPASS', incomplete: 'INCOMPLETE' };
/** A check's status: failures shout, a pass does not. */
const CHECK_WORD: Readonly<Record<Status, string>> = { pass: 'ok', fail: 'FAIL', xfail: 'XFAIL', xpass: 'XPASS', incomplete: 'INCOMPLETE' };

const configName = (c: ConfigResult) => c.model.fetch;

/** "all 5 configurations", "both configurations", or the names. */
function configList(list: readonly ConfigResult[], all: readonly ConfigResult[]): string {
  if (list.length === all.length && all.length === 2) return 'both configurations';
  if (list.length === all.length && all.length > 2) return `all ${all.length} configurations`;
  return list.map(configName).join(', ');
}

/** Configurations grouped by what they saw (a status, a text), in the order the groups first appear; `keyText` tells keys apart. */
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

/** Groups by their status's weight, the worst first (a stable sort: ties keep their order). */
function byStatus<T extends { status: Status }>(list: T[]): T[] {
  return [...list].sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status));
}

/** A configuration's status over its own checks (recorded observations are the scenario's, not a configuration's). */
function configStatus(s: Scenario, c: ConfigResult): Status {
  return scenarioStatus(s, [c], []);
}

/** "FAIL under ziccif-only, ir3-fetch; pass under ziccid, ir-decode-w, ir-decode". */
function statusUnder(all: readonly ConfigResult[], statusOf: (c: ConfigResult) => Status, words: Readonly<Record<Status, string>>): string {
  const groups = byStatus(groupBy(all, statusOf, (s) => s).map((g) => ({ ...g, status: g.key })));
  return groups.map((g) => `${words[g.status]} under ${configList(g.configs, all)}`).join('; ');
}

/** " under ziccif-only: the reason" after "expected to fail", as much as the author said. */
function expectedText(x: { readonly xfail?: string; readonly xfailUnder?: readonly string[] }): string {
  return `${x.xfailUnder ? ` under ${x.xfailUnder.join(', ')}` : ''}${x.xfail ? `: ${x.xfail}` : ''}`;
}

const worstStatus = (list: readonly Status[]): Status => STATUS_ORDER.find((s) => list.includes(s)) ?? 'pass';

// ---------------------------------------------------------------------------------
// 1. The header

function atomicityText(s: Scenario): string {
  const a = s.system.model.atomicity;
  return a.kind === 'line' ? `line ${a.bytes}` : a.kind;
}

function headerSection(r: ScenarioResult, width: number): string[] {
  const s = r.scenario;
  const out = wrap(`Scenario ${s.name} at ${s.pos.file}:${s.pos.line}: ${SCENARIO_WORD[r.status]}`, width, '', '    ');
  const words = { ...CHECK_WORD, pass: 'pass' };
  if (r.configs.length) out.push(...wrap(statusUnder(r.configs, (c) => configStatus(s, c), words), width, '  ', '    '));
  out.push(...wrap(`Model: stores ${s.system.model.stores}, atomicity ${atomicityText(s)}, fence.i ${s.system.model.fenceI}; fetch ${r.configs.map(configName).join(', ')}`, width, '  ', '    '));
  if (s.xfail !== undefined) out.push(...wrap(`Expected to fail${expectedText(s)}`, width, '  ', '    '));
  for (const w of s.warnings ?? []) out.push(...wrap(`Warning (${lineRef(w.pos, s)}): ${warningText(w)}`, width, '  ', '    '));
  for (const rec of r.records) {
    if (rec.matches) continue;
    const key = rec.recorded.kind === 'outcomes' ? 'outcomes:' : "the table's observed:";
    out.push(...wrap(`Recorded ${key} (line ${rec.recorded.pos.line}) no longer matches; observed now:`, width, '  ', '    '));
    for (const line of rec.observed) out.push(...wrap(line, width, '    ', '      '));
  }
  return out;
}

// ---------------------------------------------------------------------------------
// 2. Verdicts

function claimsSection(r: ScenarioResult, width: number): string[] {
  const s = r.scenario;
  if (!s.claims.length) return [];
  const statuses = s.claims.map((_, i) => worstStatus(r.configs.map((c) => c.claims[i].status)));
  const wordWidth = Math.max(...statuses.map((st) => CHECK_WORD[st].length));
  const numWidth = String(s.claims.length).length;
  const out = ['  Claims:'];
  s.claims.forEach((claim, i) => {
    const first = `    ${String(i + 1).padStart(numWidth)}. ${CHECK_WORD[statuses[i]].padEnd(wordWidth)}  `;
    const hang = spaces(first.length);
    out.push(...wrap(oneLine(claim.text), width, first, hang));
    if (claim.because) out.push(...wrap(`because: ${claim.because}`, width, hang, hang + '  '));
    if (claim.xfail !== undefined) out.push(...wrap(`expected to fail${expectedText(claim)}`, width, hang, hang + '  '));
    const agree = r.configs.every((c) => c.claims[i].status === r.configs[0].claims[i].status);
    if (!agree) out.push(...wrap(statusUnder(r.configs, (c) => c.claims[i].status, CHECK_WORD), width, hang, hang + '  '));
    for (const e of r.explanations.filter((x) => x.claim === i)) {
      const rules = e.deciders.map((d) => `${d.config} has ${d.rules.length ? d.rules.map((k) => RULE_WORDS[k]).join(' and ') : 'no rule the others lack'}`);
      out.push(...wrap(`decided by: ${rules.join('; ')}`, width, hang, hang + '  '));
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------
// 3. The author's table

/** What was observed of a row's signature and of its "would be" alternatives. */
function rowObserved(row: RowResult): string {
  return row.parts
    .map((p, i) => {
      const seen = p.observed ? classesText(p.classes) : '';
      if (i === 0) {
        if (!p.observed) return 'never seen';
        return p.expect === 'impossible' || p.verdict !== 'pass' ? `seen as ${seen}` : seen;
      }
      const claimed = p.verdict === 'fail' ? ` (claimed ${p.expect})` : '';
      return `would be ${p.signature}: ${p.observed ? seen : 'never seen'}${claimed}`;
    })
    .join('; ');
}

const bySignature = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

function tableSection(r: ScenarioResult, names: Names, width: number): string[] {
  const spec = r.scenario.table;
  if (!spec || !r.configs.length) return [];
  const out = wrap(`The author's table, signatures of ${spec.harts.map((h) => names.hart(h)).join(', ')} (${letterText(spec, names, (l) => `${l}:`)}), seen in how many distinct outcomes:`, width, '  ', '    ');
  spec.rows.forEach((row, k) => {
    out.push(...wrap(`${row.signature} -- ${row.text}`, width, '    ', '        '));
    const groups = byStatus(
      groupBy(
        r.configs,
        (c) => ({ status: c.table!.rows[k].status, text: rowObserved(c.table!.rows[k]) }),
        (x) => `${x.status}\n${x.text}`,
      ).map((g) => ({ ...g, status: g.key.status })),
    );
    for (const g of groups) {
      const under = groups.length > 1 ? ` under ${configList(g.configs, r.configs)}` : '';
      out.push(...wrap(`${CHECK_WORD[g.status]}${under}: ${g.key.text}`, width, '        ', '          '));
    }
    if (row.xfail) out.push(...wrap(`expected to fail: ${row.xfail}`, width, '        ', '          '));
  });
  // Each signature no row mentions, with what each configuration saw (configurations that saw the same, together).
  const unlisted = new Set(r.configs.flatMap((c) => c.table!.unlisted));
  if (unlisted.size) {
    out.push('', '    Observed but not in the table:');
    for (const sig of [...unlisted].sort(bySignature)) {
      const seen = r.configs.map((c) => (c.table!.unlisted.includes(sig) ? classesText(c.table!.signatures.get(sig)!.classes) : undefined));
      const groups = groupBy(r.configs, (_c, i) => seen[i], (x) => x ?? '').filter((g) => g.key !== undefined);
      const same = groups.length === 1 && groups[0].configs.length === r.configs.length;
      const text = same ? groups[0].text : groups.map((g) => `${g.text} under ${configList(g.configs, r.configs)}`).join('; ');
      out.push(...wrap(`${sig} -- ${text}`, width, '    ', '        '));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------
// 4. herd7-style outcome blocks

/**
 * What herd would say of a claim's predicate: Never (it held in no outcome), Always (in
 * every one), Sometimes; with P distinct outcomes satisfying it and N the rest (herd's
 * States are P + N). A search cut short did not see every outcome: its counts are unknown
 * ('?'), and the word then comes from the verdict when it tells.
 */
export function observation(x: ClaimResult, c: ConfigResult): { word: 'Never' | 'Always' | 'Sometimes' | '?'; positive: string; negative: string } {
  const p = c.complete ? x.satisfied : null;
  const n = p !== null ? c.outcomes.length - p : null;
  const q = x.claim.quantifier;
  const universal = q === 'always' || q === 'eventually';
  // A universal claim that holds holds in every outcome: in some, if there is any.
  const noneFail = n === 0 || (universal && x.verdict === 'pass');
  const noneSatisfy = p === 0 || (q === 'never' && x.verdict === 'pass') || (q === 'sometimes' && x.verdict === 'fail');
  const someSatisfy = (p !== null && p > 0) || (q === 'never' && x.verdict === 'fail') || (q === 'sometimes' && x.verdict === 'pass') || (noneFail && c.outcomes.length > 0);
  const someFail = (n !== null && n > 0) || (q === 'always' && x.verdict === 'fail');
  const word = noneSatisfy ? 'Never' : someSatisfy && noneFail ? 'Always' : someSatisfy && someFail ? 'Sometimes' : '?';
  return { word, positive: p === null ? '?' : String(p), negative: n === null ? '?' : String(n) };
}

/**
 * One line per distinct outcome: the ending, each hart's calls, the final values observed.
 * Outcomes that differ only in what a line does not show (what a claim's `executed` saw,
 * a signature) share it, and it says how many they are: the lines account for `States`.
 */
function outcomeLines(r: ScenarioResult, c: ConfigResult, names: Names): string[] {
  const grouped = new Set(r.symmetry.flat());
  const finals = herdStates(r.scenario);
  // Calls are listed when some configuration saw any, so that blocks compare across configurations.
  const anyCalls = r.configs.some((x) => x.outcomes.some((o) => o.tasks.some((h) => h.calls.length)));
  const lines = new Map<string, number>();
  for (const o of c.outcomes) {
    const callsOf = (i: number) => o.tasks[i].calls.map((x) => `${x.stub} from ${names.addr(x.site)}`).join(', ') || 'no calls';
    const parts = [endingText(o.ending, names)];
    if (anyCalls) {
      for (const i of taskIndices(r.scenario)) if (!grouped.has(i)) parts.push(`${names.hart(i)}: ${callsOf(i)}`);
      for (const g of taskGroups(r)) parts.push(`${g.map((i) => names.hart(i)).join(', ')} in some order: ${g.map(callsOf).sort().join(' / ')}`);
    }
    if (finals) parts.push(finals(o.final));
    const line = parts.join('; ');
    lines.set(line, (lines.get(line) ?? 0) + 1);
  }
  return [...lines.keys()].sort().map((line) => (lines.get(line)! > 1 ? `${line} (${lines.get(line)} outcomes)` : line));
}

/** herd's outcome block for one configuration, unindented. */
function outcomeBlock(r: ScenarioResult, c: ConfigResult, names: Names): string[] {
  const s = r.scenario;
  if (s.litmus) return herdBlock(s, c);
  const required = s.claims.some((x) => x.quantifier !== 'sometimes');
  const lines = outcomeLines(r, c, names);
  const out = [`Test ${s.name} ${required ? 'Required' : 'Allowed'}`, `States ${c.outcomes.length}`, ...lines];
  if (!c.complete) out.splice(1, 0, '(incomplete: the search stopped before it had seen every outcome)');
  else if (!c.outcomes.length) out.splice(1, 0, '(no run ends: every run loops forever)');
  out.push(c.claims.every((x) => x.verdict === 'pass') ? 'Ok' : 'No');
  if (!c.claims.length) return out;
  out.push('Witnesses');
  c.claims.forEach((x, i) => {
    const o = observation(x, c);
    out.push(`Positive: ${o.positive} Negative: ${o.negative}`, `Condition ${oneLine(x.claim.text)}`, `Observation ${s.name}/${i + 1} ${o.word} ${o.positive} ${o.negative}`);
  });
  return out;
}

function outcomesSection(r: ScenarioResult, names: Names, width: number): string[] {
  const blocks = groupBy(r.configs, (c) => outcomeBlock(r, c, names), (b) => b.join('\n'));
  const out: string[] = [];
  for (const g of blocks) {
    if (out.length) out.push('');
    out.push(...wrap(`Outcomes under ${configList(g.configs, r.configs)}, herd7 style:`, width, '  ', '    '));
    for (const line of g.key) out.push(...wrap(line, width, '    ', '        '));
  }
  return out;
}

// ---------------------------------------------------------------------------------
// 5. Counterexamples as lane diagrams

/** Lines of cells side by side: each cell a list of lines, padded to its lane. */
function zipLanes(gutter: string, blank: string, cells: readonly (readonly string[])[], lane: number, gap: number): string[] {
  const height = Math.max(1, ...cells.map((c) => c.length));
  const out: string[] = [];
  for (let y = 0; y < height; y++) {
    out.push((y === 0 ? gutter : blank) + cells.map((c) => (c[y] ?? '').padEnd(lane)).join(spaces(gap)));
  }
  return out.map((l) => l.trimEnd());
}

/**
 * A run as a lane diagram: a column per hart (the patching harts first, then the remote
 * harts, as the Markdown report's tables have them), one numbered step after another,
 * each in its hart's column and wrapped inside it. A lasso says where its loop starts.
 * Where the lanes would be too narrow to read, the steps are listed instead, each naming
 * its hart.
 */
export function laneDiagram(run: Run, s: Scenario, names: Names, width: number, indent = '  '): string[] {
  const actors = [...s.system.patchers.map((p) => p.name), ...s.system.harts.map((h) => h.name)];
  const digits = String(run.steps.length).length;
  const gutter = indent.length + digits + 2;
  const gap = 2;
  const lane = Math.floor((width - gutter - gap * (actors.length - 1)) / actors.length);
  const blank = spaces(gutter);
  const out: string[] = [];
  const loopNote = (i: number) => wrap(`loop: steps ${i + 1} to ${run.steps.length} repeat forever`, width, indent, indent + '  ');
  if (lane < MIN_LANE) {
    run.steps.forEach((step, i) => {
      if (run.loopFrom === i) out.push(...loopNote(i));
      const num = `${indent}${String(i + 1).padStart(digits)}  `;
      out.push(...wrap(`${actorOf(step.transition, names)}: ${stepText(step, names)}`, width, num, blank + '  '));
    });
  } else {
    const header = actors.map((a) => wrap(a, lane));
    out.push(...zipLanes(blank, blank, header, lane, gap));
    const rules = header.map((h) => ['-'.repeat(Math.max(...h.map((l) => l.length)))]);
    out.push(...zipLanes(blank, blank, rules, lane, gap));
    run.steps.forEach((step, i) => {
      if (run.loopFrom === i) out.push(...loopNote(i));
      const who = actorOf(step.transition, names);
      const text = stepText(step, names);
      const cells = actors.map((a) => (a === who ? wrap(text, lane) : []));
      out.push(...zipLanes(`${indent}${String(i + 1).padStart(digits)}  `, blank, cells, lane, gap));
    });
  }
  if (run.loopFrom !== undefined) out.push(...wrap(`(then back to step ${run.loopFrom + 1})`, width, indent, indent + '  '));
  return out;
}

interface Shown {
  /** What fails (or holds unexpectedly), and where. */
  readonly title: string;
  /** The check, to refer back to: "claim 2", "row ff04f". */
  readonly label: string;
  /** What the diagram shows, and the run. */
  readonly caption?: string;
  readonly run?: Run;
}

function claimRuns(r: ScenarioResult, names: Names): Shown[] {
  const out: Shown[] = [];
  r.scenario.claims.forEach((claim, i) => {
    const text = oneLine(claim.text);
    for (const status of ['fail', 'xfail', 'xpass'] as const) {
      const configs = r.configs.filter((c) => c.claims[i].status === status);
      if (!configs.length) continue;
      const runOf = (c: ConfigResult) => (status === 'xpass' ? c.claims[i].witness : c.claims[i].counterexample);
      const withRun = configs.filter((c) => runOf(c));
      const without = configs.filter((c) => !runOf(c));
      const verb = status === 'xpass' ? 'holds, though expected to fail,' : status === 'xfail' ? 'fails, as expected,' : 'fails';
      for (const g of sameRuns(withRun.map((c) => ({ config: c, run: runOf(c)! })), names)) {
        const caption = status === 'xpass' ? 'The shortest run that shows it' : status === 'xfail' ? 'The shortest counterexample, an expected failure' : 'The shortest counterexample';
        out.push({ title: `Claim ${i + 1} ${verb} under ${configList(g.configs, r.configs)}: ${text}`, label: `claim ${i + 1}`, caption, run: g.run });
      }
      // A "sometimes" that fails, or a "never" that holds unexpectedly: nothing happened, so there is nothing to draw.
      if (without.length) {
        const sat = without.map((c) => (c.complete && !c.outcomes.length ? 'has no outcome to hold in: no run ends, every run loops forever' : outcomeShare(c.claims[i], c)));
        const share = sat.every((x) => x === sat[0]) ? ` (its predicate ${sat[0]})` : '';
        out.push({ title: `Claim ${i + 1} ${verb} under ${configList(without, r.configs)}: ${text}${share}.`, label: `claim ${i + 1}` });
      }
    }
  });
  return out;
}

function rowRuns(r: ScenarioResult, names: Names): Shown[] {
  const spec = r.scenario.table;
  if (!spec) return [];
  const out: Shown[] = [];
  spec.rows.forEach((row, k) => {
    const written = `${row.signature} -- ${row.text}`;
    for (const status of ['fail', 'xfail', 'xpass'] as const) {
      const configs = r.configs.filter((c) => c.table!.rows[k].status === status);
      if (!configs.length) continue;
      // A run exists for a sequence claimed impossible and seen (a counterexample), or for a class row that holds (a witness).
      const runOf = (c: ConfigResult): Run | undefined => {
        const rr = c.table!.rows[k];
        const own = rr.parts[0];
        const wanted = status === 'xpass' ? row.claim.kind === 'class' && own.observed > 0n : own.expect === 'impossible' && own.verdict === 'fail';
        return wanted ? c.table!.signatures.get(row.signature)?.example : undefined;
      };
      const verb = status === 'xpass' ? 'holds, though expected to fail,' : status === 'xfail' ? 'fails, as expected,' : 'fails';
      const hart = (c: ConfigResult) => names.hart(c.table!.signatures.get(row.signature)?.hart ?? spec.harts[0]);
      const withRun = configs.filter((c) => runOf(c));
      for (const g of sameRuns(withRun.map((c) => ({ config: c, run: runOf(c)! })), names)) {
        const what = `The shortest run where ${hart(g.configs[0])} shows ${row.signature}${status === 'xpass' ? '' : `, claimed impossible${status === 'xfail' ? ' (an expected failure)' : ''}`}`;
        out.push({ title: `Row ${written} ${verb} under ${configList(g.configs, r.configs)}: ${rowObserved(g.configs[0].table!.rows[k])}.`, label: `row ${row.signature}`, caption: what, run: g.run });
      }
      const without = configs.filter((c) => !runOf(c));
      if (without.length) {
        for (const g of groupBy(without, (c) => rowObserved(c.table!.rows[k]), (t) => t)) {
          out.push({ title: `Row ${written} ${verb} under ${configList(g.configs, r.configs)}: ${g.text}.`, label: `row ${row.signature}` });
        }
      }
    }
  });
  return out;
}

function failuresSection(r: ScenarioResult, names: Names, width: number): string[] {
  const shown = [...claimRuns(r, names), ...rowRuns(r, names)];
  if (!shown.length) return [];
  const out = ['  Failures:'];
  // A run that breaks several checks is drawn once; the later ones refer back to it.
  const drawn = new Map<string, string>();
  for (const sh of shown) {
    out.push('', ...wrap(sh.title, width, '    ', '      '));
    if (!sh.caption || !sh.run) continue;
    const key = runKey(sh.run, names);
    const first = drawn.get(key);
    if (first) {
      out.push(...wrap(`${sh.caption}: the run drawn for ${first} above.`, width, '    ', '      '));
      continue;
    }
    drawn.set(key, sh.label);
    out.push(...wrap(`${sh.caption} (${runSummary(sh.run, names)}):`, width, '    ', '      '), '', ...laneDiagram(sh.run, r.scenario, names, width, '    '));
  }
  return out;
}

// ---------------------------------------------------------------------------------
// The report

/** One scenario's results, as lines of at most `width` columns. */
export function scenarioText(r: ScenarioResult, width: number = DEFAULT_WIDTH): string[] {
  const names = new Names(r.scenario);
  const sections = [claimsSection(r, width), tableSection(r, names, width), outcomesSection(r, names, width), failuresSection(r, names, width)].filter((x) => x.length);
  return fit([...headerSection(r, width), ...sections.flatMap((x) => ['', ...x])], width);
}

export function renderText(nb: Notebook, results: readonly ScenarioResult[], options: TextOptions = {}): string {
  const width = options.width ?? DEFAULT_WIDTH;
  if (!Number.isInteger(width) || width < MIN_WIDTH) throw new RangeError(`the text report needs a width of at least ${MIN_WIDTH} columns, not ${width}`);
  const out = wrap(`patchlit report of ${nb.file}`, width, '', '  ');
  for (const r of results) out.push('', ...scenarioText(r, width));
  const tally = STATUS_ORDER.map((st) => [st, results.filter((r) => r.status === st).length] as const).filter(([, n]) => n > 0);
  const plural = results.length === 1 ? '' : 's';
  out.push('', ...wrap(`${results.length} scenario${plural}: ${tally.map(([st, n]) => `${n} ${SCENARIO_WORD[st]}`).join(', ') || 'none'}`, width));
  return fit(out, width).join('\n') + '\n';
}
