// The HTML page as text (the browser test, test/e2e/html.test.ts, opens it for real):
// verdicts marked where reports write them and nowhere else, diagrams handed to Mermaid,
// nothing but the assets directory linked, the index's links relative.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { htmlAssets, renderHtml, renderHtmlIndex } from '../../src/report/html.ts';

const MD = `# Notes

Loads may pass earlier stores; this prose is not a verdict.

**patchlit** \`toggle\`: pass under ziccid; **FAIL** under ziccif-only · stores: rvwmo

| Claim | ziccif-only | ziccid |
| --- | --- | --- |
| \`never: crash\` | **FAIL** | pass (holds in 3 of 8 outcomes) |
| \`sometimes: x\` | *incomplete* | XFAIL, as declared |

| # | cpu0 |
| --- | --- |
| 1 | func: j 80000900 <new_target> |

\`\`\`mermaid
sequenceDiagram
  cpu0->>memory: store a #58;= b
\`\`\`

<details><summary>Folded</summary>

| a |
| --- |
| b |

</details>
`;

const OPTIONS = { title: 'a <b> & c', assets: '../assets' };

describe('renderHtml', () => {
  const html = renderHtml(MD, OPTIONS);

  it('is a complete UTF-8 page with its title escaped', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')).toBe(true);
    expect(html).toContain('<title>a &lt;b&gt; &amp; c</title>');
    expect(html.endsWith('</body>\n</html>\n')).toBe(true);
    expect(renderHtml(MD, OPTIONS)).toBe(html);
  });

  it('marks verdicts in headlines, table cells and emphasis, not in prose', () => {
    expect(html).toContain('Loads may pass earlier stores; this prose is not a verdict.');
    expect(html).toContain('<strong>patchlit</strong> <code>toggle</code>: <span class="verdict verdict-pass">pass</span> under ziccid; <strong class="verdict verdict-fail">FAIL</strong> under ziccif-only');
    expect(html).toContain('<td><strong class="verdict verdict-fail">FAIL</strong></td>');
    expect(html).toContain('<td><span class="verdict verdict-pass">pass</span> (holds in 3 of 8 outcomes)</td>');
    expect(html).toContain('<td><em class="verdict verdict-incomplete">incomplete</em></td>');
    expect(html).toContain('<td><span class="verdict verdict-xfail">XFAIL</span>, as declared</td>');
    expect(html.match(/class="verdict /g)).toHaveLength(6);
  });

  it("keeps the report's anchors, so that the summary's links lead to the same places as on a forge", () => {
    const page = renderHtml('| Scenario |\n| --- |\n| [`a`](#scenario-a) |\n\n<a id="scenario-a"></a>**patchlit** `a`: pass under ziccid\n\n<details><summary><a id="scenario-a.run-1"></a>How</summary>\n\nx\n\n</details>\n\n<b id="x"></b> <a id="x" onclick="y"></a>\n', OPTIONS);
    expect(page).toContain('<td><a href="#scenario-a"><code>a</code></a></td>');
    expect(page).toContain('<p><a id="scenario-a"></a><strong>patchlit</strong> <code>a</code>: <span class="verdict verdict-pass">pass</span> under ziccid</p>');
    expect(page).toContain('<details><summary><a id="scenario-a.run-1"></a>How</summary>');
    // Any other inline HTML is still text.
    expect(page).toContain('<p>&lt;b id=&quot;x&quot;&gt;&lt;/b&gt; &lt;a id=&quot;x&quot; onclick=&quot;y&quot;&gt;&lt;/a&gt;</p>');
  });

  it('marks a headline\'s verdicts before the configurations they hold under, in capitals anywhere, and nothing else', () => {
    const page = renderHtml('**patchlit** `s`: XFAIL (expected) under both configurations (ziccif-only and ziccid) · a failure is expected: it may pass or fail · stores: rvwmo\n', OPTIONS);
    expect(page).toContain('<code>s</code>: <span class="verdict verdict-xfail">XFAIL</span> (expected) under both configurations (ziccif-only and ziccid) · a failure is expected: it may pass or fail · stores: rvwmo</p>');
    const records = renderHtml('**patchlit** `s`: **FAIL**: what `outcomes:` (line 9) records changed · the checks: pass under ziccid · stores: rvwmo\n', OPTIONS);
    expect(records.match(/class="verdict /g)).toHaveLength(2);
    expect(records).toContain('the checks: <span class="verdict verdict-pass">pass</span> under ziccid');
  });

  it('shows objdump\'s <symbol> as text, and keeps the report\'s own <details> blocks', () => {
    expect(html).toContain('<td>func: j 80000900 &lt;new_target&gt;</td>');
    expect(html).toContain('<details><summary>Folded</summary>\n<table>');
  });

  it('hands Mermaid blocks to the bundle in the assets directory, which is all it loads', () => {
    expect(html).toContain('<pre class="mermaid">sequenceDiagram\n  cpu0-&gt;&gt;memory: store a #58;= b\n</pre>');
    expect(html).toContain('<script src="../assets/mermaid.min.js"></script>');
    expect(html.match(/<script src=/g)).toHaveLength(1);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
    expect(renderHtml('# No diagrams\n', OPTIONS)).not.toContain('<script');
  });
});

describe('htmlAssets', () => {
  it("lists Mermaid's browser bundle and its licence, committed under report/assets (no Mermaid package needed), and the steppers' script", () => {
    const assets = htmlAssets();
    expect(assets.map((a) => a.name)).toEqual(['mermaid.min.js', 'mermaid.LICENSE.txt', 'stepper.js']);
    for (const a of assets) expect(existsSync(a.source)).toBe(true);
    expect(readFileSync(assets[0].source, 'utf8').slice(0, 2000)).toContain('mermaid');
    expect(readFileSync(assets[1].source, 'utf8')).toContain('MIT License');
  });
});

describe('renderHtmlIndex', () => {
  const entries = [
    { title: 'seed/three-step.md', href: 'seed/three-step.html', passed: 1, failed: 1, xfail: 0, incomplete: 0 },
    { title: 'model/a b.md', href: 'model/a b.html', passed: 2, failed: 0, xfail: 1, incomplete: 0 },
    { title: 'model/slow.md', href: 'model/slow.html', passed: 0, failed: 0, xfail: 0, incomplete: 1 },
  ];
  const html = renderHtmlIndex(entries, { title: 'patchlit', assets: 'assets' });

  it('lists each notebook with its counts and verdict, and the totals', () => {
    expect(html).toContain('<tr><td><a href="seed/three-step.html">seed/three-step.md</a></td><td><span class="verdict verdict-fail">FAIL</span></td><td>1</td><td>1</td><td>0</td><td>0</td></tr>');
    expect(html).toContain('<tr><td><a href="model/a%20b.html">model/a b.md</a></td><td><span class="verdict verdict-pass">PASS</span></td><td>2</td><td>0</td><td>1</td><td>0</td></tr>');
    expect(html).toContain('<td><span class="verdict verdict-incomplete">INCOMPLETE</span></td><td>0</td><td>0</td><td>0</td><td>1</td>');
    expect(html).toContain('<tfoot><tr><td>Total (3 notebooks)</td><td><span class="verdict verdict-fail">FAIL</span></td><td>3</td><td>1</td><td>1</td><td>1</td></tr></tfoot>');
    expect(html).not.toContain('<script');
  });

  it('refuses a link that is not relative', () => {
    expect(() => renderHtmlIndex([{ ...entries[0], href: '/tmp/x.html' }], { title: 't' })).toThrow(/relatively/);
    expect(() => renderHtmlIndex([{ ...entries[0], href: 'https://example.org/x.html' }], { title: 't' })).toThrow(/relatively/);
  });
});
