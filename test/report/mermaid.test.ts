// Runs as Mermaid sequence diagrams: one participant per hart and memory, one message or
// note per step numbered as the run's table numbers it, nothing Mermaid would misparse;
// and where the Markdown report puts them, folding what is long.

import { describe, expect, it } from 'vitest';
import { Names, renderMarkdown, stepText } from '../../src/report/index.ts';
import { breakLines, LINE_CHARS, mermaidSequence, mermaidText } from '../../src/report/mermaid.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario, type ScenarioResult } from '../../src/verdict/index.ts';
import type { Run } from '../../src/verdict/types.ts';
import { PATCH_ONE_WORD, run } from '../helpers.ts';

/** PATCH_ONE_WORD with a fence and a synchronous IPI after its store: every kind of arrow. */
const WITH_IPI = PATCH_ONE_WORD.replace('patch:\n  - store: { at: func, insn: NEW }', 'patch:\n  - store: { at: func, insn: NEW }\n  - fence w,w\n  - ipi: { sync: true }');
const YAML = `${WITH_IPI}model: { fetch: ziccid }
claims:
  - never: complete
  - sometimes: { calls: new_target }
`;

const result = run(YAML);
const names = new Names(result.scenario);
const counterexample = result.configs[0].claims[0].counterexample!;

/** The statements of a diagram: the lines between its fences, trimmed. */
function statements(lines: readonly string[]): string[] {
  return lines.slice(1, -1).map((l) => l.trim());
}

/** What Mermaid's autonumber shows on each step drawn as a message (set again by `autonumber N`). */
function shownNumbers(lines: readonly string[]): Map<number, string> {
  const shown = new Map<number, string>();
  let next = 1;
  for (const s of statements(lines)) {
    const set = /^autonumber (\d+)$/.exec(s);
    if (set) next = Number(set[1]);
    else if (/^\w+-?->>\w+: /.test(s)) shown.set(next++, s.replaceAll('<br/>', ' '));
  }
  return shown;
}

/** The steps a diagram draws, in order: messages and notes, each text on one line again (a break stands for the one space it replaced). */
function drawnSteps(lines: readonly string[]): string[] {
  return statements(lines)
    .filter((s) => /^Note over \w+: /.test(s) || /^\w+-?->>\w+: /.test(s))
    .map((s) => s.replaceAll('<br/>', ' '));
}

describe('mermaidSequence', () => {
  const lines = mermaidSequence(counterexample, result.scenario, names);

  it('is a fenced sequence diagram with the patching hart, memory and the remote hart as participants', () => {
    expect(lines[0]).toBe('```mermaid');
    expect(lines[lines.length - 1]).toBe('```');
    expect(statements(lines).slice(0, 5)).toEqual(['sequenceDiagram', 'participant cpu0', 'participant memory', 'participant cpu1', 'autonumber']);
  });

  it('draws each step once: a store to memory, the IPI to its target, the acknowledgement back, the rest as notes', () => {
    const drawn = drawnSteps(lines);
    expect(drawn).toHaveLength(counterexample.steps.length);
    const kinds = counterexample.steps.map((s) => s.transition.kind);
    drawn.forEach((d, i) => {
      const text = mermaidText(stepText(counterexample.steps[i], names));
      if (d.startsWith('Note')) expect(d).toMatch(new RegExp(`^Note over cpu[01]: ${i + 1}\\. `));
      expect(d.endsWith(text)).toBe(true);
    });
    expect(drawn).toContain('cpu0->>memory: store NEW at func#59; func #58;= j 80000900 #lt;new_target#gt;');
    expect(drawn).toContain(`Note over cpu0: ${kinds.indexOf('patch') + 2}. fence w,w`);
    expect(drawn).toContain('cpu0->>cpu1: IPI (fence.i) to cpu1#59; waits for every target to complete it');
    expect(drawn.find((d) => d.startsWith('cpu1-->>cpu0: takes the IPI'))).toMatch(/acknowledges$/);
    expect(drawn.some((d) => d.startsWith('Note over cpu1: ') && d.includes('returns (SRET)'))).toBe(true);
  });

  it("numbers every message with its step's number in the run's table", () => {
    const shown = shownNumbers(lines);
    expect(shown.size).toBe(drawnSteps(lines).filter((d) => !d.startsWith('Note')).length);
    for (const [n, s] of shown) expect(s.endsWith(mermaidText(stepText(counterexample.steps[n - 1], names)))).toBe(true);
    // The table puts step n in row n: the same numbers.
    const table = renderMarkdown(readNotebook('t.yaml', YAML), [result]);
    const storeStep = counterexample.steps.findIndex((s) => s.events.some((e) => e.kind === 'store')) + 1;
    expect(table).toContain(`| ${storeStep} | store NEW at func; func := j 80000900 &lt;new_target> |  |`);
    expect(shown.get(storeStep)).toMatch(/^cpu0->>memory: store NEW/);
  });

  it('leaves no ; # < > or : unescaped in any text', () => {
    for (const s of statements(lines)) {
      const text = s.replace(/^(Note over \w+|\w+-?->>\w+): /, '').replace(/#(\w+);/g, '').replaceAll('<br/>', '');
      expect(text).not.toMatch(/[;#<>:]/);
    }
    expect(mermaidText('a: b; #1 <x> 50% & more')).toBe('a#58; b#59; #35;1 #lt;x#gt; 50#37; #amp; more');
  });

  it('breaks long texts into short lines, so that the harts stand close enough for the page', () => {
    for (const s of statements(lines)) {
      const text = s.replace(/^(Note over \w+|\w+-?->>\w+): /, '');
      for (const line of text.split('<br/>')) {
        const plain = line.replace(/#(\w+);/g, (_, e: string) => (/^\d+$/.test(e) ? String.fromCharCode(Number(e)) : e === 'lt' || e === 'gt' ? '<' : '&'));
        if (plain.includes(' ')) expect(plain.length, plain).toBeLessThanOrEqual(LINE_CHARS);
      }
    }
    expect(lines.some((l) => l.includes('<br/>'))).toBe(true);
  });

  it("breaks between a step's clauses first, then after a label, then between words, never inside an address and its symbol", () => {
    expect(breakLines('takes the IPI (sepc func); loads the request; fence.i; acknowledges')).toEqual(['takes the IPI (sepc func);', 'loads the request; fence.i;', 'acknowledges']);
    expect(breakLines('1. cpu1..cpu2.main: jal ffffffff8001f840 <func>')).toEqual(['1. cpu1..cpu2.main:', 'jal ffffffff8001f840 <func>']);
    expect(breakLines('store J +8 at func; func := j ffffffff8001f848 <func+0x8>')).toEqual(['store J +8 at func;', 'func := j', 'ffffffff8001f848 <func+0x8>']);
    expect(breakLines('fence w,w')).toEqual(['fence w,w']);
    expect(breakLines('a_single_word_longer_than_any_line_can_be')).toEqual(['a_single_word_longer_than_any_line_can_be']);
    // Every break is where a space was.
    const text = 'IPI (fence.i) to cpu1, cpu2; waits for every target to complete it';
    expect(breakLines(text).join(' ')).toBe(text);
  });

  it('draws a lasso with its repeating steps in a loop box', () => {
    const lasso: Run = { ...counterexample, ending: undefined, loopFrom: 4 };
    const raw = mermaidSequence(lasso, result.scenario, names);
    const loop = raw.indexOf(`  loop steps 5 to ${counterexample.steps.length} repeat forever`);
    expect(loop).toBeGreaterThan(0);
    expect(raw[raw.length - 2]).toBe('  end');
    // Four steps before the loop, the others inside it (indented under it).
    expect(drawnSteps(['```', ...raw.slice(1, loop), '```'])).toHaveLength(4);
    const inside = raw.slice(loop + 1, -2);
    expect(drawnSteps(['```', ...inside, '```'])).toHaveLength(counterexample.steps.length - 4);
    expect(inside.every((l) => l.startsWith('    '))).toBe(true);
  });

  it('is the same for the same run', () => {
    expect(mermaidSequence(counterexample, result.scenario, new Names(result.scenario))).toEqual(lines);
  });

  it('names participants that are not plain identifiers through an alias', () => {
    const r = run(YAML.replace('harts:\n  - calls: func', 'harts:\n  - name: end\n    calls: func'));
    const l = statements(mermaidSequence(r.configs[0].claims[0].counterexample!, r.scenario, new Names(r.scenario)));
    expect(l).toContain('participant actor2 as end');
    expect(l.some((s) => s.startsWith('Note over actor2: '))).toBe(true);
    expect(l.some((s) => s.startsWith('cpu0->>actor2: IPI'))).toBe(true);
  });
});

/** A result whose first claim's counterexample has `n` steps (its steps repeated: only the report's shape is checked). */
function withLongCounterexample(r: ScenarioResult, n: number): ScenarioResult {
  const steps = Array.from({ length: n }, (_, i) => counterexample.steps[i % counterexample.steps.length]);
  return { ...r, configs: r.configs.map((c) => ({ ...c, claims: c.claims.map((x, i) => (i === 0 ? { ...x, counterexample: { ...x.counterexample!, steps } } : x)) })) };
}

/** The report's lines without its anchors (`<a id>` before a title), which these tests do not look at. */
function reportLines(md: string): string[] {
  return md.replace(/<a id="[^"]+"><\/a>/g, '').split('\n');
}

describe('the Markdown report', () => {
  const nb = readNotebook('t.yaml', YAML);

  it('shows the diagram after each counterexample table, and inside the folded witness', () => {
    const lines = reportLines(renderMarkdown(nb, [result]));
    const title = lines.findIndex((l) => l.startsWith('Counterexample to `never: complete`'));
    const diagram = lines.indexOf('```mermaid', title);
    expect(lines[title + 2]).toBe('| # | cpu0 | cpu1 |');
    expect(lines[diagram - 1]).toBe('');
    expect(lines[diagram - 2]).toMatch(/^\| \d+ \|/);
    expect(lines.slice(diagram, diagram + mermaidSequence(counterexample, result.scenario, names).length)).toEqual(mermaidSequence(counterexample, result.scenario, names));
    const witness = lines.findIndex((l) => l.startsWith('<details><summary>How <code>sometimes: { calls: new_target }</code> happens'));
    const close = lines.indexOf('</details>', witness);
    expect(lines[witness + 1]).toBe('');
    expect(lines[close - 1]).toBe('');
    expect(lines.slice(witness, close)).toContain('```mermaid');
  });

  it('folds a counterexample over 40 steps, its diagram with it', () => {
    const short = reportLines(renderMarkdown(nb, [withLongCounterexample(result, 40)]));
    expect(short.some((l) => l.startsWith('Counterexample to `never: complete`') && l.includes('(40 steps;'))).toBe(true);
    const long = reportLines(renderMarkdown(nb, [withLongCounterexample(result, 41)]));
    const open = long.findIndex((l) => l.startsWith('<details><summary>Counterexample to <code>never: complete</code>'));
    expect(open).toBeGreaterThan(0);
    expect(long[open]).toMatch(/\(41 steps; ending: complete\)<\/summary>$/);
    const close = long.indexOf('</details>', open);
    expect(long[open + 1]).toBe('');
    expect(long[close - 1]).toBe('');
    expect(long[close - 2]).toBe('```');
    expect(long.slice(open, close).filter((l) => l.startsWith('| 41 |'))).toHaveLength(1);
    expect(long.slice(open, close)).toContain('```mermaid');
  });

  it('folds the list of signatures the table does not mention when it is over 12 long', () => {
    const tableYaml = `${PATCH_ONE_WORD}claims:\n  - never: crash\ntable:\n  alphabet:\n    "0": { exec: func }\n  classes:\n    new: { calls: new_target }\n    old: { calls: old_target }\n  rows: |\n    0 -- old seq\n`;
    const r = judgeScenario(readNotebook('t.yaml', tableYaml).entries[0].scenario);
    const unlisted = (n: number): ScenarioResult => ({
      ...r,
      configs: r.configs.map((c) => {
        const sigs = Array.from({ length: n }, (_, i) => `0${'0'.repeat(i + 1)}`);
        const example = c.table!.signatures.values().next().value!;
        const signatures = new Map(c.table!.signatures);
        for (const s of sigs) signatures.set(s, { ...example, classes: { new: 1 } });
        return { ...c, table: { ...c.table!, unlisted: sigs, signatures } };
      }),
    });
    const nbt = readNotebook('t.yaml', tableYaml);
    const twelve = renderMarkdown(nbt, [unlisted(12)]).split('\n');
    const at = twelve.indexOf('Observed but not in the table:');
    expect(twelve.slice(at + 2, at + 14).every((l) => l.startsWith('- `0'))).toBe(true);
    const thirteen = renderMarkdown(nbt, [unlisted(13)]).split('\n');
    expect(thirteen).not.toContain('Observed but not in the table:');
    const open = thirteen.indexOf('<details><summary>Observed but not in the table (13)</summary>');
    expect(open).toBeGreaterThan(0);
    expect(thirteen[open + 1]).toBe('');
    expect(thirteen[open + 2]).toBe('- `00`: new ×1 under all 5 configurations');
    expect(thirteen[open + 15]).toBe('');
    expect(thirteen[open + 16]).toBe('</details>');
  });
});
