// The model's executable documentation (scenarios/model/): every notebook is judged, every
// claim in it must hold (each rule's pair shows an outcome under the weaker option and
// rules it out under the stronger), and its committed report must be what the runner
// writes today, byte for byte.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/index.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';

const DIR = 'scenarios/model';
const NOTEBOOKS = readdirSync(DIR)
  .filter((f) => f.endsWith('.md'))
  .sort();

describe('the model notebooks', () => {
  it('cover every mechanism the model has, and name its options', () => {
    expect(NOTEBOOKS).toEqual(
      expect.arrayContaining(['fetch-configurations.md', 'fence-i.md', 'ipi.md', 'fences.md', 'tearing.md', 'interrupts.md', 'stop-machine.md', 'preemption.md', 'pointers.md', 'services.md', 'rcu-tasks.md', 'kprobes.md']),
    );
    const all = NOTEBOOKS.map((f) => readFileSync(join(DIR, f), 'utf8')).join('\n');
    for (const option of ['rvwmo', 'ziccid', 'coherent', 'parcel', 'stop_machine', 'ziccif-only', 'ir3-fetch', 'handler: bare', 'completion: sent', 'preempt:', 'interrupts: masked', 'fence-i: fetch-only', 'fence: false', 'queue: relaxed', 'lock: text_mutex', 'synchronize_rcu_tasks', 'free:', 'unregister:', 'registered: false', 'emulate: ['])
      expect(all, option).toContain(option);
  });

  for (const file of NOTEBOOKS) {
    it(`${file}: every claim holds, each rule shown both ways, and the committed report is current`, () => {
      const path = join(DIR, file);
      const nb = readNotebook(path, readFileSync(path, 'utf8'));
      const results = nb.entries.map((e) => judgeScenario(e.scenario));
      for (const r of results) {
        for (const c of r.configs) {
          const failing = c.claims.filter((x) => x.verdict !== 'pass').map((x) => x.claim.text);
          expect(failing, `${r.scenario.name} under ${c.model.fetch}`).toEqual([]);
        }
      }
      const quantifiers = new Set(nb.entries.flatMap((e) => e.scenario.claims.map((c) => c.quantifier)));
      expect(quantifiers.has('sometimes')).toBe(true);
      expect(quantifiers.has('never') || quantifiers.has('eventually') || quantifiers.has('always')).toBe(true);
      expect(renderMarkdown(nb, results), `reports/model/${file}`).toBe(readFileSync(join('reports/model', file), 'utf8'));
    });
  }
});
