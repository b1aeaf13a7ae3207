// The Markdown report as a standalone web page: one HTML file per notebook and an index
// for a suite. Pages open from disk (file://) with no server and no network: the only
// scripts they load come from an assets directory next to them: Mermaid's browser bundle,
// which draws the runs' sequence diagrams in the page, and the runs' steppers (stepper-page.ts).

import MarkdownIt from 'markdown-it';
import type { StateCore, Token } from 'markdown-it';
import { assetFile } from './assets.ts';
import { stepperAsset, stepperScript, withStepData, type Judged } from './stepper-page.ts';

export interface HtmlOptions {
  /** The page's title. */
  readonly title: string;
  /** The assets directory (htmlAssets' files), relative to the page, '/'-separated. */
  readonly assets: string;
  /** What the Markdown was rendered from: given, each run's table gets a stepper (stepper-page.ts). */
  readonly judged?: Judged;
}

const VERDICT_WORDS = ['pass', 'fail', 'xfail', 'xpass', 'incomplete'] as const;
const VERDICT_ANY = new RegExp(`^(?:${VERDICT_WORDS.join('|')})$`, 'i');
/** Upper case, a verdict word wherever it stands; in lower case only where a verdict is written (see below). */
const VERDICT_UPPER = new RegExp(`\\b(${VERDICT_WORDS.map((w) => w.toUpperCase()).join('|')})\\b`, 'g');
/** In a headline, a verdict in capitals, or in lower case where it says under which configurations ("pass under ziccid"). */
const VERDICT_HEADLINE = new RegExp(`\\b(?:${VERDICT_WORDS.map((w) => w.toUpperCase()).join('|')}|(?:${VERDICT_WORDS.join('|')})(?= under ))\\b`, 'g');
const VERDICT_LEADING = new RegExp(`^(${VERDICT_WORDS.join('|')})\\b`, 'i');
/** The report's anchors (markdown.ts's anchorTag): the one inline tag passed through as HTML. */
const ANCHOR = /^<a id="[A-Za-z0-9_.-]+"><\/a>/;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function verdictClass(word: string): string {
  return `verdict verdict-${word.toLowerCase()}`;
}

function html(state: StateCore, content: string): Token {
  const t = new state.Token('html_inline', '', 0);
  t.content = content;
  return t;
}

/** A text token split so that every match of `pattern` is wrapped in a verdict span. */
function wrapWords(state: StateCore, token: Token, pattern: RegExp): Token[] {
  const out: Token[] = [];
  let last = 0;
  for (const m of token.content.matchAll(pattern)) {
    if (m.index > last) out.push(text(state, token.content.slice(last, m.index)));
    out.push(html(state, `<span class="${verdictClass(m[0])}">${escapeHtml(m[0])}</span>`));
    last = m.index + m[0].length;
  }
  if (!out.length) return [token];
  if (last < token.content.length) out.push(text(state, token.content.slice(last)));
  return out;
}

function text(state: StateCore, content: string): Token {
  const t = new state.Token('text', '', 0);
  t.content = content;
  return t;
}

/**
 * Marks the verdicts of a report so that a page's style (and a test) can find them: an
 * emphasised verdict word (`**FAIL**`, `*incomplete*`), a word in capitals anywhere, and
 * in lower case only where the report writes verdicts: leading a table cell ("pass (holds
 * in 3 of 8 outcomes)") and in a scenario's headline before the configurations it holds
 * under ("**patchlit** `name`: pass under ..."), not in prose, where "pass" is an ordinary
 * word (nor in a headline's "a failure is expected").
 */
function markVerdicts(state: StateCore): void {
  state.tokens.forEach((block, b) => {
    if (block.type !== 'inline' || !block.children) return;
    const kids = block.children;
    const inCell = b > 0 && (state.tokens[b - 1].type === 'td_open' || state.tokens[b - 1].type === 'th_open');
    // markdown-it may open an inline run with an empty text token; a headline opens with its anchor.
    const first = kids.findIndex((k) => (k.type !== 'text' || k.content !== '') && !(k.type === 'html_inline' && ANCHOR.test(k.content)));
    const headline = first >= 0 && kids[first].type === 'strong_open' && kids[first + 1]?.content === 'patchlit' && kids[first + 2]?.type === 'strong_close';
    const out: Token[] = [];
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i];
      const close = k.type === 'strong_open' ? 'strong_close' : k.type === 'em_open' ? 'em_close' : undefined;
      if (close && kids[i + 1]?.type === 'text' && VERDICT_ANY.test(kids[i + 1].content) && kids[i + 2]?.type === close) {
        const tag = close === 'strong_close' ? 'strong' : 'em';
        out.push(html(state, `<${tag} class="${verdictClass(kids[i + 1].content)}">${escapeHtml(kids[i + 1].content)}</${tag}>`));
        i += 2;
        continue;
      }
      if (k.type !== 'text') {
        out.push(k);
        continue;
      }
      if (headline && i > first + 2) {
        out.push(...wrapWords(state, k, VERDICT_HEADLINE));
        continue;
      }
      const leading = inCell && i === first ? VERDICT_LEADING.exec(k.content) : null;
      if (leading) {
        out.push(html(state, `<span class="${verdictClass(leading[1])}">${escapeHtml(leading[1])}</span>`));
        const rest = text(state, k.content.slice(leading[1].length));
        out.push(...wrapWords(state, rest, VERDICT_UPPER));
        continue;
      }
      out.push(...wrapWords(state, k, VERDICT_UPPER));
    }
    block.children = out;
  });
}

function markdownRenderer() {
  // The report holds HTML blocks of its own (<details>, comments): passed through as
  // written. Inline, `<func>` is objdump's symbol, not a tag: shown as text.
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false }).disable('html_inline');
  // Except the report's own anchors, which links from the summary lead to (as on a forge).
  md.inline.ruler.before('autolink', 'patchlit_anchor', (state, silent) => {
    const m = ANCHOR.exec(state.src.slice(state.pos));
    if (!m) return false;
    if (!silent) state.push('html_inline', '', 0).content = m[0];
    state.pos += m[0].length;
    return true;
  });
  md.core.ruler.push('patchlit_verdicts', markVerdicts);
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const t = tokens[idx];
    if (t.info.trim().split(/\s+/)[0] === 'mermaid') return `<pre class="mermaid">${escapeHtml(t.content)}</pre>\n`;
    return fence(tokens, idx, options, env, self);
  };
  return md;
}

const STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-alt: #f6f8fa; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); margin: 0 auto; padding: 1.5rem 2rem 4rem; max-width: 80rem; }
h1, h2, h3 { line-height: 1.25; border-bottom: 1px solid var(--line); padding-bottom: .3em; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
code { background: var(--bg-alt); padding: .1em .3em; border-radius: 4px; }
pre { background: var(--bg-alt); padding: .8rem 1rem; border-radius: 6px; overflow-x: auto; }
pre code { background: none; padding: 0; }
pre.mermaid { background: none; padding: 0; text-align: left; overflow-x: auto; }
a[id]:target { scroll-margin-top: 1rem; }
p:has(> a[id]:target), summary:has(> a[id]:target) { background: #fff8c5; }
table { border-collapse: collapse; display: block; overflow-x: auto; margin: 1rem 0; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: .3em .7em; vertical-align: top; text-align: left; }
th { background: var(--bg-alt); }
tr:nth-child(2n) td { background: #fbfcfd; }
details { margin: 1rem 0; }
summary { cursor: pointer; color: var(--muted); }
blockquote { margin: 1rem 0; padding: 0 1em; color: var(--muted); border-left: .25em solid var(--line); }
.verdict { font-weight: 600; }
.verdict-pass { color: #1a7f37; }
.verdict-fail, .verdict-xpass { color: #cf222e; }
.verdict-xfail { color: #9a6700; }
.verdict-incomplete { color: #8250df; }
tfoot td { font-weight: 600; }
`.trim();

/**
 * Draws each diagram once it can be seen: inside a closed <details> Mermaid has no layout
 * to measure its text with, so those wait until their block is opened.
 */
const DRAW = `
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', sequence: { useMaxWidth: true } });
function drawVisible() {
  const nodes = Array.from(document.querySelectorAll('pre.mermaid:not([data-processed])')).filter((n) => !n.closest('details:not([open])'));
  if (nodes.length) mermaid.run({ nodes }).catch((e) => console.error(e));
}
document.addEventListener('toggle', drawVisible, true);
drawVisible();
`.trim();

/** A complete page around a body. Only the assets directory is loaded: no network, nothing else from disk. */
function page(title: string, body: string, scripts: string): string {
  const csp = "default-src 'none'; script-src 'self' file: 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' file: data:; font-src 'self' file: data:";
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>\n${STYLE}\n</style>`,
    '</head>',
    '<body>',
    body.replace(/\n$/, ''),
    ...(scripts ? [scripts] : []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A Markdown report as a standalone page, its Mermaid diagrams drawn by the bundle in `assets`. */
export function renderHtml(markdown: string, options: HtmlOptions): string {
  const body = markdownRenderer().render(withStepData(markdown, options.judged));
  const scripts = body.includes('<pre class="mermaid">') ? `<script src="${escapeHtml(`${options.assets.replace(/\/$/, '')}/mermaid.min.js`)}"></script>\n<script>\n${DRAW}\n</script>` : '';
  return page(options.title, body, [scripts, stepperScript(body, options.assets, escapeHtml)].filter(Boolean).join('\n'));
}

/**
 * The files a page's assets directory holds: Mermaid's self-contained browser bundle and its
 * licence (committed copies, scripts/mermaid-asset.ts, so that no consumer installs Mermaid),
 * and the steppers' script.
 */
export function htmlAssets(): Array<{ name: string; source: string }> {
  return [
    { name: 'mermaid.min.js', source: assetFile('mermaid.min.js') },
    { name: 'mermaid.LICENSE.txt', source: assetFile('mermaid.LICENSE.txt') },
    stepperAsset(),
  ];
}

export interface IndexEntry {
  readonly title: string;
  /** The notebook's page, relative to the index, '/'-separated. */
  readonly href: string;
  readonly passed: number;
  readonly failed: number;
  readonly xfail: number;
  readonly incomplete: number;
}

/** The suite's verdict from its counts, lit's way: an expected failure passes, a run cut short is no pass. */
function overall(c: Omit<IndexEntry, 'title' | 'href'>): 'pass' | 'fail' | 'incomplete' {
  return c.failed ? 'fail' : c.incomplete ? 'incomplete' : 'pass';
}

function hrefOf(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.startsWith('\\')) throw new Error(`an index links its pages relatively, not "${path}"`);
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The index of a suite's pages: each notebook with its scenarios passed, failed, failed as expected and incomplete, and the totals. */
export function renderHtmlIndex(entries: ReadonlyArray<IndexEntry>, options: { readonly title: string; readonly assets?: string }): string {
  const verdictCell = (c: Omit<IndexEntry, 'title' | 'href'>) => {
    const v = overall(c);
    return `<td><span class="${verdictClass(v)}">${v.toUpperCase()}</span></td>`;
  };
  const numbers = (c: Omit<IndexEntry, 'title' | 'href'>) => [c.passed, c.failed, c.xfail, c.incomplete].map((n) => `<td>${n}</td>`).join('');
  const total = entries.reduce((t, e) => ({ passed: t.passed + e.passed, failed: t.failed + e.failed, xfail: t.xfail + e.xfail, incomplete: t.incomplete + e.incomplete }), { passed: 0, failed: 0, xfail: 0, incomplete: 0 });
  const body = [
    `<h1>${escapeHtml(options.title)}</h1>`,
    '<table>',
    '<thead><tr><th>Notebook</th><th>Verdict</th><th>Passed</th><th>Failed</th><th>Failed as expected</th><th>Incomplete</th></tr></thead>',
    '<tbody>',
    ...entries.map((e) => `<tr><td><a href="${escapeHtml(hrefOf(e.href))}">${escapeHtml(e.title)}</a></td>${verdictCell(e)}${numbers(e)}</tr>`),
    '</tbody>',
    `<tfoot><tr><td>Total (${entries.length} notebook${entries.length === 1 ? '' : 's'})</td>${verdictCell(total)}${numbers(total)}</tr></tfoot>`,
    '</table>',
  ].join('\n');
  return page(options.title, body, '');
}
