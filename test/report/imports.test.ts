// Reports of a scenario that imports another file: they repeat the notebook as written
// (the import, not what it brought in), list the imported code as assembled, and cite
// what was written in the other file by that file and its line.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonReport, renderJunit, renderMarkdown, renderText } from '../../src/report/index.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';

// Line 12, the store: a 32-bit instruction over two 16-bit ones, outside the safe harbour (rule 4).
const OTHER = `# other

\`\`\`patchlit
name: base
model: { fetch: ziccif-only }
symbols: { t: 0x8400 }
stubs: { t: { return: ra } }
code:
  func: { at: 0x8000, rvc: true, asm: "c.nop\\nc.nop\\nret" }
patch:
  - fence.i
  - store: { at: func, insn: "jal t" }
harts:
  - calls: func
claims:
  - sometimes: { calls: t }
\`\`\`
`;

describe('reports of a scenario with imports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'patchlit-report-imports-'));
  writeFileSync(join(dir, 'other.md'), OTHER);
  const text = '# x\n\n```patchlit\nname: x\nimport: other.md#base\n```\n';
  writeFileSync(join(dir, 'x.md'), text);
  const nb = readNotebook(join(dir, 'x.md'), readFileSync(join(dir, 'x.md'), 'utf8'));
  const results = nb.entries.map((e) => judgeScenario(e.scenario));
  const other = join(dir, 'other.md');

  it('Markdown: the notebook byte for byte, the imported code listed, the imported step cited in its file', () => {
    const md = renderMarkdown(nb, results);
    expect(md).toContain('```patchlit\nname: x\nimport: other.md#base\n```\n');
    expect(md).not.toContain('stubs: { t: { return: ra } }');
    expect(md).toContain(`> **Warning** (${other}:12): `);
    expect(md).toMatch(/\| 8000 &lt;func> \| 0001 \| `nop` \| `c\.nop` \|/);
  });

  it('text, JSON and JUnit name the other file too', () => {
    expect(renderText(nb, results)).toContain(`Warning (${other}:12)`);
    const json = jsonReport([{ path: nb.file, results }]);
    expect(json.files[0].scenarios[0].warnings).toEqual([{ file: other, line: 12, col: 5, message: expect.stringContaining('rule 4') }]);
    // The claim is base's: JUnit's file and line are where it is written.
    expect(renderJunit([{ path: nb.file, results }])).toContain(`file="${other}" line="16"`);
  });
});
