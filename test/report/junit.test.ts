// The JUnit report: well-formed XML (checked by a strict little parser below, which also
// decodes what it reads so escaping is tested by the round trip), one testcase per check
// and configuration, totals that add up, each status mapped as CI dashboards expect, the
// searches' wall times, and bad input as error testcases.

import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/report/junit.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { judgeScenario, type ScenarioResult } from '../../src/verdict/index.ts';
import { junitWithoutTimes, oneWordTable, pairSite, PATCH_ONE_WORD } from '../helpers.ts';

interface Element {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: Element[];
  text: string;
}

/** XML 1.0's Char production, as a test on one code point. */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** A strict parser for the XML subset the report uses (declaration, elements, attributes, text, references); throws on anything malformed. */
function parseXml(xml: string): Element {
  for (const ch of xml) {
    const cp = ch.codePointAt(0)!;
    // A lone surrogate iterates as itself, which isXmlChar rejects.
    if (!isXmlChar(cp)) throw new Error(`character U+${cp.toString(16)} is not allowed in XML 1.0`);
  }
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at offset ${i}: ${JSON.stringify(xml.slice(i, i + 40))}`);
  };
  const decode = (raw: string, inAttr: boolean): string => {
    if (inAttr && raw.includes('<')) fail('"<" in an attribute value');
    if (!inAttr && raw.includes(']]>')) fail('"]]>" in text');
    return raw.replace(/&([^;]*);?/g, (ref, body: string) => {
      if (!ref.endsWith(';')) fail(`unterminated reference ${ref}`);
      const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
      if (body in named) return named[body];
      const m = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
      if (!m) return fail(`unknown reference ${ref}`);
      const cp = m[1] ? parseInt(m[1], 16) : Number(m[2]);
      if (!isXmlChar(cp)) fail(`reference to a forbidden character ${ref}`);
      return String.fromCodePoint(cp);
    });
  };
  const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
  const name = () => {
    NAME.lastIndex = i;
    const m = NAME.exec(xml) ?? fail('a name expected');
    i += m[0].length;
    return m[0];
  };
  const space = () => {
    while (/\s/.test(xml[i] ?? '')) i++;
  };
  const element = (): Element => {
    if (xml[i] !== '<') fail('"<" expected');
    i++;
    const el: Element = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      space();
      if (xml.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (xml[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('space expected before an attribute');
      const key = name();
      if (key in el.attrs) fail(`attribute ${key} twice`);
      if (xml[i] !== '=' || (xml[i + 1] !== '"' && xml[i + 1] !== "'")) fail('="value" expected');
      const quote = xml[i + 1];
      const end = xml.indexOf(quote, i + 2);
      if (end < 0) fail('unterminated attribute value');
      el.attrs[key] = decode(xml.slice(i + 2, end), true);
      i = end + 1;
    }
    for (;;) {
      const lt = xml.indexOf('<', i);
      if (lt < 0) fail(`</${el.name}> missing`);
      el.text += decode(xml.slice(i, lt), false);
      i = lt;
      if (xml.startsWith('</', i)) {
        i += 2;
        if (name() !== el.name) fail(`</${el.name}> expected`);
        space();
        if (xml[i++] !== '>') fail('">" expected');
        return el;
      }
      el.children.push(element());
    }
  };
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml) ?? fail('XML declaration expected');
  i = decl[0].length;
  const root = element();
  space();
  if (i !== xml.length) fail('content after the root element');
  return root;
}

const all = (el: Element, name: string): Element[] => [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => all(c, name))];

const CONFIGS = ['ziccif-only', 'ziccid'] as const;

/** PATCH_ONE_WORD in a notebook: a claim that holds, one that fails, and a table with a row that fails. */
const NOTEBOOK = `# One word

\`\`\`patchlit
${PATCH_ONE_WORD.trim()}
claims:
  - never: crash
  - always: { calls: old_target }
${oneWordTable('    0 -- impossible\n    f0 -- impossible, would be 0 (old)')}
\`\`\`
`;

/** An AUIPC+JALR pair patched one word at a time: the new AUIPC runs with the old JALR. */
const PAIR = `${pairSite('naive-pair', '0x80020000').trim()}
insns:
  AUIPC': auipc t0, %hi(t_new - func)
  JALR: jalr t0, %lo(t_old - func)(t0)
  JALR': jalr t0, %lo(t_new - func)(t0)
patch:
  - store: { at: func, insn: AUIPC' }
  - store: { at: func+4, insn: JALR' }
harts:
  - calls: func
claims:
  - never: { executed: [AUIPC', JALR], at: func }
`;

function judge(file: string, text: string, budget?: { maxStates: number }): ScenarioResult[] {
  return readNotebook(file, text).entries.map((e) => judgeScenario(e.scenario, { configs: CONFIGS, ...(budget ? { budget } : {}) }));
}

const oneWord = judge('notes/one-word.md', NOTEBOOK);
const pair = judge('pair.yaml', PAIR);

/** Every claim of a scenario declared to fail, for the reason given. */
const declared = (yaml: string) => yaml.replace(/^( {2}- (?:never|always|sometimes): .*)$/gm, '$1\n    xfail: a known race');

describe('renderJunit', () => {
  it('writes well-formed XML with one suite per file and one testcase per check and configuration', () => {
    const xml = renderJunit([
      { path: 'notes/one-word.md', results: oneWord },
      { path: 'pair.yaml', results: pair },
    ]);
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    const suites = root.children;
    expect(suites.map((s) => s.attrs.name)).toEqual(['notes/one-word.md', 'pair.yaml']);
    // one-word: 2 claims + 2 table rows under each of 2 configurations; pair: 1 claim under 2.
    const cases = suites.map((s) => s.children.filter((c) => c.name === 'testcase'));
    expect(cases.map((c) => c.length)).toEqual([8, 2]);
    expect(suites.map((s) => Number(s.attrs.tests))).toEqual([8, 2]);
    expect(root.attrs.tests).toBe('10');
    const failures = all(root, 'failure');
    expect(Number(root.attrs.failures)).toBe(failures.length);
    expect(suites.map((s) => Number(s.attrs.failures))).toEqual(suites.map((s) => all(s, 'failure').length));
    expect(root.attrs.errors).toBe('0');
    expect(cases[0].map((c) => c.attrs.name)).toEqual([
      'never: crash [ziccif-only]',
      'always: { calls: old_target } [ziccif-only]',
      '0 -- impossible [ziccif-only]',
      'f0 -- impossible, would be 0 (old) [ziccif-only]',
      'never: crash [ziccid]',
      'always: { calls: old_target } [ziccid]',
      '0 -- impossible [ziccid]',
      'f0 -- impossible, would be 0 (old) [ziccid]',
    ]);
    expect(cases[0].every((c) => c.attrs.classname === 'notes/one-word.md:4 one-word' && c.attrs.file === 'notes/one-word.md')).toBe(true);
  });

  it('gives a failing check a failure with its shortest counterexample as plain lines', () => {
    const root = parseXml(renderJunit([{ path: 'notes/one-word.md', results: oneWord }]));
    const always = all(root, 'testcase').find((c) => c.attrs.name === 'always: { calls: old_target } [ziccif-only]')!;
    const failure = always.children.find((c) => c.name === 'failure')!;
    expect(failure.attrs.type).toBe('fail');
    expect(failure.attrs.message).toMatch(/^fails under ziccif-only: shortest counterexample: \d+ steps, ending: complete$/);
    const lines = failure.text.split('\n');
    expect(lines[0]).toMatch(/^1\. cpu[01]: /);
    expect(lines).toContain('ending: complete');
    expect(failure.text).toContain('. cpu0: store NEW at func; func := j 80000900 <new_target>');
    expect(failure.text).toContain('calls new_target');
    // A row claiming a signature impossible that happens shows the run that shows it.
    const row = all(root, 'testcase').find((c) => c.attrs.name === '0 -- impossible [ziccid]')!;
    const rowFailure = row.children.find((c) => c.name === 'failure')!;
    expect(rowFailure.attrs.message).toMatch(/^fails under ziccid: 0 claimed impossible, observed (old|new) in 1 outcome, (old|new) in 1 outcome$/);
    expect(rowFailure.text).toMatch(/^1\. cpu1: cpu1\.main: jal 80000000 <func>\n/);
    // A row whose alternative is not what happens says what happened instead, with no run to show.
    const wouldBe = all(root, 'testcase').find((c) => c.attrs.name === 'f0 -- impossible, would be 0 (old) [ziccid]')!;
    const wouldBeFailure = wouldBe.children.find((c) => c.name === 'failure')!;
    expect(wouldBeFailure.attrs.message).toMatch(/^fails under ziccid: 0 claimed old, observed (old|new) in 1 outcome, (old|new) in 1 outcome$/);
    expect(wouldBeFailure.text).toBe('');
    // A check that holds is an empty testcase.
    const crash = all(root, 'testcase').find((c) => c.attrs.name === 'never: crash [ziccid]')!;
    expect(crash.children).toEqual([]);
  });

  it('escapes a claim with quotes and primes in its name and keeps it exact', () => {
    const xml = renderJunit([{ path: 'pair.yaml', results: pair }]);
    expect(xml).toContain('name="never: { executed: [AUIPC&apos;, JALR], at: func } [ziccif-only]"');
    const names = all(parseXml(xml), 'testcase').map((c) => c.attrs.name);
    expect(names).toEqual(["never: { executed: [AUIPC', JALR], at: func } [ziccif-only]", "never: { executed: [AUIPC', JALR], at: func } [ziccid]"]);
    const failure = all(parseXml(xml), 'failure')[0];
    expect(failure.text).toContain("func: auipc t0,0x20");
  });

  it('escapes markup characters, line breaks and characters XML 1.0 forbids', () => {
    const text = 'never: <a & "b"> \'c\'\nsecond line\u0007 and \uD800 alone';
    const r = oneWord[0];
    const odd: ScenarioResult = { ...r, configs: r.configs.map((c) => ({ ...c, claims: c.claims.map((x) => ({ ...x, claim: { ...x.claim, text } })) })) };
    const xml = renderJunit([{ path: 'a&b <c>.md', results: [odd] }]);
    expect(xml).toContain('name="never: &lt;a &amp; &quot;b&quot;&gt; &apos;c&apos;&#10;second line\\u{7} and \\u{D800} alone [ziccif-only]"');
    const root = parseXml(xml);
    expect(root.children[0].attrs.name).toBe('a&b <c>.md');
    expect(all(root, 'testcase')[0].attrs.name).toBe('never: <a & "b"> \'c\'\nsecond line\\u{7} and \\u{D800} alone [ziccif-only]');
  });

  it('maps xfail to a skip marked as an expected failure (as pytest writes one), xpass to a failure, and an undecided search to an error', () => {
    const [xfail] = judge('xfail.yaml', declared(PAIR));
    const [xpass] = judge('xpass.yaml', declared(PATCH_ONE_WORD + 'claims:\n  - never: crash\n  - sometimes: { calls: new_target }\n'));
    expect([xfail.status, xpass.status]).toEqual(['xfail', 'xpass']);
    const undecided = judge('pair.yaml', PAIR, { maxStates: 3 });
    const root = parseXml(
      renderJunit([
        { path: 'xfail.yaml', results: [xfail] },
        { path: 'xpass.yaml', results: [xpass] },
        { path: 'budget.yaml', results: undecided },
      ]),
    );
    const [xf, xp, budget] = root.children;
    expect(xf.attrs).toMatchObject({ tests: '2', failures: '0', errors: '0', skipped: '2' });
    const skips = all(xf, 'skipped');
    expect(skips.map((o) => o.attrs)).toEqual([
      { type: 'xfail', message: expect.stringMatching(/^expected failure under ziccif-only: shortest counterexample: \d+ steps, ending: .*\(xfail: a known race\)$/) },
      { type: 'xfail', message: expect.stringMatching(/^expected failure under ziccid: /) },
    ]);
    // Its message only, as pytest writes one (the run is in the notebook's report); and a property says why it is expected.
    expect(skips.map((o) => [o.text, o.children])).toEqual([
      ['', []],
      ['', []],
    ]);
    expect(all(xf, 'property').map((p) => p.attrs)).toEqual([
      { name: 'xfail', value: 'a known race' },
      { name: 'xfail', value: 'a known race' },
    ]);
    expect(all(xf, 'testcase')[0].children.map((c) => c.name)).toEqual(['properties', 'skipped']);
    expect(all(root, 'system-out')).toEqual([]);
    // Both claims hold though declared to fail: "never: crash" has no run to show, the sometimes claim its witness.
    const xpassCrash = all(xp, 'testcase').find((c) => c.attrs.name === 'never: crash [ziccif-only]')!;
    expect(xpassCrash.children[0]).toMatchObject({ name: 'failure', attrs: { type: 'xpass', message: 'holds though declared to fail under ziccif-only: no run breaks it (xfail: a known race)' } });
    const xpassCalls = all(xp, 'testcase').find((c) => c.attrs.name === 'sometimes: { calls: new_target } [ziccid]')!;
    expect(xpassCalls.children[0].attrs.message).toMatch(/^holds though declared to fail under ziccid: it happens: 3 steps, ending: complete \(xfail: a known race\)$/);
    expect(xpassCalls.children[0].text).toContain('calls new_target');
    expect(undecided[0].status).toBe('incomplete');
    expect(budget.attrs).toMatchObject({ tests: '2', failures: '0', errors: '2' });
    expect(all(budget, 'error')[0].attrs).toMatchObject({ type: 'incomplete', message: 'is undecided under ziccif-only: the search stopped at its state budget' });
    expect(xp.attrs).toMatchObject({ tests: '4', failures: '4' });
    expect(root.attrs).toMatchObject({ tests: '8', failures: '4', errors: '2', skipped: '2' });
  });

  it('passes the checks that hold in a scenario declared to fail as a whole, and fails the scenario itself', () => {
    const whole = (claims: string) => judge('whole.yaml', `${PATCH_ONE_WORD.trim()}\nxfail: the patch is meant to crash\n${claims}`)[0];
    const withClaim = whole('claims:\n  - never: crash\n');
    const without = whole('');
    expect([withClaim.status, without.status]).toEqual(['xpass', 'xpass']);
    const root = parseXml(renderJunit([{ path: 'whole.yaml', results: [withClaim, without] }]));
    const cases = all(root, 'testcase');
    const xpass = 'holds though declared to fail: every check holds, though the scenario is declared to fail (xfail: the patch is meant to crash)';
    expect(cases.map((c) => [c.attrs.name, c.children.map((x) => x.attrs.message).join()])).toEqual([
      ['never: crash [ziccif-only]', ''],
      ['never: crash [ziccid]', ''],
      ['xfail', xpass],
      ['xfail', xpass],
    ]);
    expect(root.attrs).toMatchObject({ tests: '4', failures: '2' });
  });

  it('makes each recorded observation a testcase, failing with the difference when it changed', () => {
    const recorded = (lines: string[]) => `${PAIR}outcomes:\n${lines.map((l) => `  - "${l}"\n`).join('')}`;
    const [same] = judge('pair.yaml', recorded(['complete; cpu1: t_old', 'complete; cpu1: t_new']));
    const [changed] = judge('pair.yaml', recorded(['complete; cpu1: t_old', 'wild jump']));
    expect([same.status, changed.status]).toEqual(['fail', 'fail']); // the claim fails in both
    const root = parseXml(renderJunit([{ path: 'pair.yaml', results: [changed, same] }]));
    const cases = all(root, 'testcase').filter((c) => c.attrs.name === 'outcomes: as recorded');
    expect(cases.map((c) => c.attrs.line)).toEqual(['26', '26']);
    const failure = cases[0].children[0];
    expect(failure.attrs.message).toBe('fails: what was observed differs from what is recorded (- recorded, + observed)');
    expect(failure.text).toBe('- wild jump\n+ complete; cpu1: t_new');
    expect(cases[1].children).toEqual([]);
    expect(root.attrs).toMatchObject({ tests: '6', failures: '5' });
  });

  it('is byte-identical from the same results, and from a new judgement but for its wall times', () => {
    const files = [
      { path: 'notes/one-word.md', results: oneWord },
      { path: 'pair.yaml', results: pair },
    ];
    const xml = renderJunit(files);
    expect(renderJunit(files)).toBe(xml);
    expect(junitWithoutTimes(renderJunit([{ path: 'pair.yaml', results: judge('pair.yaml', PAIR) }]))).toBe(junitWithoutTimes(renderJunit([{ path: 'pair.yaml', results: pair }])));
    const times = [...xml.matchAll(/ time="([^"]*)"/g)].map((m) => m[1]);
    expect(times.length).toBe(1 + 2 + 10);
    expect(times.every((t) => /^\d+\.\d{3}$/.test(t))).toBe(true);
    expect(xml).not.toMatch(/timestamp|hostname/);
  });

  it("gives each testcase its configuration's search time, and each suite the time of its searches counted once", () => {
    // Times of one's own choosing: which configuration searched, and which shared its search.
    const timed = (r: ScenarioResult, seconds: Record<string, number>, sharedBy: Record<string, string> = {}): ScenarioResult => ({
      ...r,
      configs: r.configs.map((c) => ({ ...c, stats: { ...c.stats, seconds: seconds[c.model.fetch] }, ...(sharedBy[c.model.fetch] ? { searchedAs: sharedBy[c.model.fetch] as (typeof CONFIGS)[number] } : {}) })),
    });
    const root = parseXml(
      renderJunit([
        { path: 'notes/one-word.md', results: [timed(oneWord[0], { 'ziccif-only': 1.5, ziccid: 0.25 })] },
        // ziccid's result is ziccif-only's search: its checks took that search, once.
        { path: 'pair.yaml', results: [timed(pair[0], { 'ziccif-only': 2.0004, ziccid: 2.0004 }, { ziccid: 'ziccif-only' })] },
      ]),
    );
    const [one, two] = root.children;
    const times = (suite: Element) => all(suite, 'testcase').map((c) => [c.attrs.name.replace(/.*\[/, '['), c.attrs.time]);
    expect(times(one)).toEqual([...Array(4).fill(['[ziccif-only]', '1.500']), ...Array(4).fill(['[ziccid]', '0.250'])]);
    expect(times(two)).toEqual([
      ['[ziccif-only]', '2.000'],
      ['[ziccid]', '2.000'],
    ]);
    expect([one.attrs.time, two.attrs.time, root.attrs.time]).toEqual(['1.750', '2.000', '3.750']);
    // A recorded observation is judged over every configuration: it took all their searches.
    const recorded = judge('pair.yaml', `${PAIR}outcomes:\n  - "complete; cpu1: t_old"\n`)[0];
    const record = all(parseXml(renderJunit([{ path: 'pair.yaml', results: [timed(recorded, { 'ziccif-only': 1, ziccid: 3 })] }])), 'testcase').find((c) => c.attrs.name === 'outcomes: as recorded')!;
    expect(record.attrs.time).toBe('4.000');
  });

  it('makes each input error an error testcase at its file and line, with the diagnostic as printed', () => {
    const text = 'scenarios/bad.yaml:3:5: error: harts[0]: unknown key "code"\n    - code: |\n      ^\n  hint: known keys: name, run';
    const root = parseXml(
      renderJunit([], [
        { file: 'scenarios/bad.yaml', line: 3, col: 5, message: 'harts[0]: unknown key "code"', text },
        { file: 'scenarios/lib.yaml', line: 1, col: 1, message: 'not YAML', text: 'scenarios/lib.yaml:1:1: error: not YAML' },
        { file: 'scenarios/gone.md', message: 'permission denied', text: 'scenarios/gone.md: permission denied' },
      ]),
    );
    expect(root.attrs).toMatchObject({ tests: '3', failures: '0', errors: '3' });
    expect(root.children.map((s) => s.attrs.name)).toEqual(['scenarios/bad.yaml', 'scenarios/lib.yaml', 'scenarios/gone.md']);
    const [bad, , gone] = all(root, 'testcase');
    expect(bad.attrs).toEqual({ classname: 'scenarios/bad.yaml', name: 'scenarios/bad.yaml:3:5: harts[0]: unknown key "code"', file: 'scenarios/bad.yaml', line: '3', time: '0.000' });
    expect(bad.children[0]).toMatchObject({ name: 'error', attrs: { type: 'bad input', message: 'scenarios/bad.yaml:3:5: harts[0]: unknown key "code"' }, text });
    expect(gone.attrs).not.toHaveProperty('line');
    expect(gone.children[0].attrs.message).toBe('scenarios/gone.md: permission denied');
  });
});
