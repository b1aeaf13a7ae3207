// The HTML report opened the way a reader opens it: from disk, in a real browser
// (headless Chromium), with no server and no network. Its verdicts must be marked, its
// sequence diagrams drawn by the bundled Mermaid, and nothing may be fetched from
// outside file://.

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { htmlAssets, renderHtml, renderHtmlIndex } from '../../src/report/html.ts';
import { renderMarkdown } from '../../src/report/index.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario } from '../../src/verdict/index.ts';
import { PATCH_ONE_WORD } from '../helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const SEED = 'scenarios/seed/three-step.md';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** One remote hart, a store, a fence and a synchronous IPI; one claim fails, one holds. */
const NOTEBOOK = `# Patching one word

\`\`\`patchlit
${PATCH_ONE_WORD.replace('patch:\n  - store: { at: func, insn: NEW }', 'patch:\n  - store: { at: func, insn: NEW }\n  - fence w,w\n  - ipi: { sync: true }').trim()}
model: { fetch: ziccid }
claims:
  - never: { calls: new_target }
  - sometimes: { calls: old_target }
\`\`\`
`;

/** Run in the page (as text: this project's types have no DOM): each diagram's column, own width, drawn width and smallest note font as drawn. */
const MEASURE = `Array.from(document.querySelectorAll('pre.mermaid')).map((pre) => {
  const svg = pre.querySelector('svg');
  const natural = svg.viewBox.baseVal.width;
  const drawn = svg.getBoundingClientRect().width;
  const notes = Array.from(svg.querySelectorAll('text.noteText'));
  const font = Math.min(...notes.map((t) => parseFloat(getComputedStyle(t).fontSize))) * (drawn / natural);
  return { column: pre.clientWidth, natural, drawn, font };
})`;

let dir = '';
let profile = '';
let context: BrowserContext | undefined;
const consoleErrors: string[] = [];
const requests: string[] = [];

/** The browser, or the test skipped (failed under CI, which must have it) when Chromium is not installed. */
const MISSING = `${CHROMIUM} not found: install it (apt-get install chromium) to run the HTML report's browser test`;

function browser(ctx: TestContext): BrowserContext {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(MISSING);
    ctx.skip(MISSING);
  }
  if (!context) throw new Error('Chromium did not start');
  return context;
}

async function open(ctx: TestContext, file: string): Promise<Page> {
  const page = await browser(ctx).newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(`${file}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`${file}: ${e.message}`));
  await page.goto(pathToFileURL(join(dir, file)).href);
  return page;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'patchlit-html-'));
  const nb = readNotebook('one-word.md', NOTEBOOK);
  const results = nb.entries.map((e) => judgeScenario(e.scenario));
  mkdirSync(join(dir, 'reports', 'assets'), { recursive: true });
  mkdirSync(join(dir, 'reports', 'seed'));
  // The page one directory below the index, as `--out` lays them out: assets are found relative to each.
  writeFileSync(join(dir, 'reports', 'seed', 'one-word.html'), renderHtml(renderMarkdown(nb, results), { title: 'one-word.md', assets: '../assets', judged: { notebook: nb, results } }));
  // The seed notebook: runs of 10 to 37 steps over three and four participants, the widest diagrams there are.
  const seed = readNotebook(SEED, readFileSync(SEED, 'utf8'));
  const seedResults = seed.entries.map((e) => judgeScenario(e.scenario));
  writeFileSync(join(dir, 'reports', 'seed', 'three-step.html'), renderHtml(renderMarkdown(seed, seedResults), { title: 'three-step.md', assets: '../assets', judged: { notebook: seed, results: seedResults } }));
  writeFileSync(join(dir, 'reports', 'index.html'), renderHtmlIndex([{ title: 'seed/one-word.md', href: 'seed/one-word.html', passed: 0, failed: 1, xfail: 0, incomplete: 0 }], { title: 'patchlit', assets: 'assets' }));
  for (const a of htmlAssets()) copyFileSync(a.source, join(dir, 'reports', 'assets', a.name));
  if (!existsSync(CHROMIUM)) {
    // A skip's note is not printed by the default reporter: say it once here.
    if (!process.env.CI) console.warn(`Skipped: ${MISSING}`);
    return;
  }
  profile = mkdtempSync(join(tmpdir(), 'patchlit-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  context.on('request', (r) => requests.push(r.url()));
}, 120_000);

afterAll(async () => {
  await context?.close();
  for (const d of [dir, profile]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('the HTML report, opened from disk in Chromium', () => {
  it('marks every verdict with its word', async (ctx) => {
    const page = await open(ctx, 'reports/seed/one-word.html');
    const verdicts = await page.$$eval('.verdict', (els) => els.map((e) => ({ cls: e.className, text: e.textContent, tag: e.tagName })));
    // Headline, the configuration's verdict, and the failing claim's cell: FAIL; the claim that holds: pass.
    expect(verdicts.filter((v) => v.cls === 'verdict verdict-fail' && v.text === 'FAIL').length).toBeGreaterThanOrEqual(3);
    expect(verdicts).toContainEqual({ cls: 'verdict verdict-pass', text: 'pass', tag: 'SPAN' });
    for (const v of verdicts) expect(v.cls).toBe(`verdict verdict-${v.text!.toLowerCase()}`);
    const headline = await page.locator('p', { hasText: 'patchlit' }).first().locator('.verdict').allTextContents();
    expect(headline).toEqual(['FAIL']);
    const claimRow = await page.locator('tr', { hasText: 'never: { calls: new_target }' }).first().locator('.verdict').allTextContents();
    expect(claimRow).toEqual(['FAIL']);
    await page.close();
  });

  it('draws the counterexample as an SVG sequence diagram, its numbers those of the table', async (ctx) => {
    const page = await open(ctx, 'reports/seed/one-word.html');
    const diagram = page.locator('pre.mermaid').first();
    await diagram.locator('svg').waitFor({ timeout: 30_000 });
    const texts = await diagram.locator('svg text').allTextContents();
    expect(texts).toEqual(expect.arrayContaining(['cpu0', 'memory', 'cpu1']));
    // Mermaid's entity codes come back as the characters they stand for; a long text, as the lines it was broken into.
    expect(texts).toEqual(expect.arrayContaining(['store NEW at func;', 'func := j', '80000900 <new_target>']));
    // The run's table: its rows are steps 1, 2, ...; the store, the IPI and its acknowledgement are the messages.
    const rows = await page.locator('table:has(th:text-is("cpu0"))').first().locator('tbody tr').allTextContents();
    const messages = rows.flatMap((row, i) => (/store NEW|IPI \(fence\.i\)|acknowledges/.test(row) ? [String(i + 1)] : []));
    expect(messages).toHaveLength(3);
    expect(await diagram.locator('svg text.sequenceNumber').allTextContents()).toEqual(messages);
    await page.close();
  });

  it('draws a folded diagram when its block is opened', async (ctx) => {
    const page = await open(ctx, 'reports/seed/one-word.html');
    await page.locator('pre.mermaid svg').first().waitFor({ timeout: 30_000 });
    const witness = page.locator('details', { hasText: 'How sometimes: { calls: old_target } happens' });
    expect(await witness.locator('pre.mermaid svg').count()).toBe(0);
    await witness.locator('summary').click();
    await witness.locator('pre.mermaid svg').waitFor({ timeout: 30_000 });
    expect(await witness.locator('svg text').allTextContents()).toContain('memory');
    await page.close();
  });

  it("fits every diagram in the page's 1,280 px column at full size, and keeps its notes readable at a forge's 900 px", { timeout: 120_000 }, async (ctx) => {
    const page = await open(ctx, 'reports/seed/three-step.html');
    for (const s of await page.locator('summary').all()) await s.click();
    const count = await page.locator('pre.mermaid').count();
    expect(count).toBeGreaterThanOrEqual(10);
    await page.waitForFunction(`document.querySelectorAll('pre.mermaid svg').length === ${count}`, undefined, { timeout: 60_000 });
    // Each diagram: its column, its own width (Mermaid's layout), the width drawn, and its notes' font size as drawn.
    const measure = () => page.evaluate(MEASURE) as Promise<Array<{ column: number; natural: number; drawn: number; font: number }>>;
    // The page's column: 80rem.
    await page.setViewportSize({ width: 1344, height: 900 });
    for (const d of await measure()) {
      expect(d.column).toBe(1280);
      expect(d.natural, 'a diagram wider than the column, drawn smaller').toBeLessThanOrEqual(d.column);
      expect(d.drawn).toBeLessThanOrEqual(d.column);
      expect(d.font).toBeGreaterThanOrEqual(16);
    }
    // A forge's column (GitHub's is about 900 px): diagrams scale down to it, their text no smaller than 12 px.
    await page.setViewportSize({ width: 964, height: 900 });
    for (const d of await measure()) {
      expect(d.column).toBe(900);
      expect(d.drawn).toBeLessThanOrEqual(d.column + 0.5);
      expect(d.font).toBeGreaterThanOrEqual(12);
    }
    await page.close();
  });

  it('indexes the suite with relative links and counts', async (ctx) => {
    const page = await open(ctx, 'reports/index.html');
    const link = page.locator('a', { hasText: 'seed/one-word.md' });
    expect(await link.getAttribute('href')).toBe('seed/one-word.html');
    expect(await page.locator('tbody .verdict').allTextContents()).toEqual(['FAIL']);
    expect(await page.locator('tfoot').textContent()).toContain('Total (1 notebook)');
    await link.click();
    await page.locator('pre.mermaid svg').first().waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(pathToFileURL(join(dir, 'reports/seed/one-word.html')).href);
    await page.close();
  });

  it('logs no error and fetches nothing outside file://, every diagram drawn', async (ctx) => {
    const index = await open(ctx, 'reports/index.html');
    await index.close();
    const page = await open(ctx, 'reports/seed/one-word.html');
    for (const summary of await page.locator('summary').all()) await summary.click();
    const diagrams = await page.locator('pre.mermaid').count();
    expect(diagrams).toBe(2);
    await page.waitForFunction(`document.querySelectorAll('pre.mermaid svg').length === ${diagrams}`, undefined, { timeout: 30_000 });
    await page.close();
    expect(consoleErrors).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    expect(requests).toContain(pathToFileURL(join(dir, 'reports/assets/mermaid.min.js')).href);
    expect(requests).toContain(pathToFileURL(join(dir, 'reports/assets/stepper.js')).href);
  });
});

describe("a run's stepper, opened from disk in Chromium", () => {
  it('shows the counterexample one step at a time, forward and back, by buttons and by keys', async (ctx) => {
    const page = await open(ctx, 'reports/seed/one-word.html');
    // One stepper per run shown: the counterexample, and the witness folded below it.
    expect(await page.locator('section.stepper').count()).toBe(2);
    const stepper = page.locator('section.stepper').first();
    const count = stepper.locator('.stepper-count');
    const panel = stepper.locator('.stepper-panel');
    const next = stepper.getByRole('button', { name: 'Next step' });
    const prev = stepper.getByRole('button', { name: 'Previous step' });
    expect(await panel.getAttribute('aria-live')).toBe('polite');
    expect(await stepper.locator('button').evaluateAll((bs) => bs.map((b) => `${b.tagName} ${b.getAttribute('type')}`))).toEqual(['BUTTON button', 'BUTTON button']);
    // The run's table stays above it, its row for the step shown marked.
    const row = () => page.locator('tr.stepper-current').first().locator('td').first().textContent();
    const hart = () => stepper.locator('table.stepper-harts tbody tr', { hasText: 'cpu1' }).innerText();

    expect(await count.textContent()).toBe('step 1 of 7');
    expect(await panel.locator('.stepper-what').textContent()).toBe('cpu1: cpu1.main: jal 80000000 <func>');
    expect(await hart()).toMatch(/^cpu1 \(this step\)\s+80000000 <func>\s+jal 80000000 <func> at cpu1\.main\s+ef f0 1f fc\s+initial memory\s+ra = 0x80000044/);
    expect(await row()).toBe('1');

    await next.click();
    expect(await count.textContent()).toBe('step 2 of 7');
    expect(await panel.locator('.stepper-what').textContent()).toBe('cpu0: store NEW at func; func := j 80000900 <new_target>');
    expect(await stepper.locator('table.stepper-memory tbody').innerText()).toMatch(/^80000000 <func>\s+0x\w{8} \(j 80000900 <new_target>\)\s+cpu0's store at step 2 \(this step\)$/);
    expect(await row()).toBe('2');

    // The keys, while the stepper has focus.
    await stepper.press('ArrowRight');
    expect(await count.textContent()).toBe('step 3 of 7');
    // The new jump, read from the store of step 2; new_target returns at once, to cpu1.idle.
    expect(await hart()).toMatch(/^cpu1 \(this step\)\s+80000044 <cpu1\.idle>\s+j 80000900 <new_target> at func\s+6f 00 10 10\s+cpu0's store at step 2\s*$/);
    expect(await row()).toBe('3');
    await stepper.press('ArrowLeft');
    expect(await count.textContent()).toBe('step 2 of 7');
    await prev.click();
    expect(await count.textContent()).toBe('step 1 of 7');
    // No step before the first: Prev is marked disabled (and stays focusable), ← stays there.
    expect(await prev.getAttribute('aria-disabled')).toBe('true');
    await stepper.press('ArrowLeft');
    expect(await count.textContent()).toBe('step 1 of 7');
    await stepper.press('End');
    expect(await count.textContent()).toBe('step 7 of 7');
    // The step in the words of the table's row for it (cpu1's column).
    expect(await panel.locator('.stepper-what').textContent()).toBe(`cpu1: ${await page.locator('tr.stepper-current td').nth(2).textContent()}`);
    expect(await panel.locator('.stepper-what').textContent()).toMatch(/^cpu1: .*to cpu1\.idle$/);
    expect(await next.getAttribute('aria-disabled')).toBe('true');
    await page.close();
    // Stepping loads nothing: every request of the page, its script's included, stayed on disk.
    expect(consoleErrors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  });
});
