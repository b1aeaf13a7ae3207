// Hostile or mistaken input gets a diagnostic where it is read, naming the limit it
// passes, never a stack trace, a stack overflow or a runaway (issue 14): YAML aliases
// (resolved, bounded, and never silently dropped), nesting depth in YAML and in herd
// conditions, repetition counts, lone carriage returns, unclosed front matter.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNotebook, ScenarioError } from '../../src/scenario/index.ts';
import { errors, PATCH_ONE_WORD, scenario } from '../helpers.ts';

/** PATCH_ONE_WORD with `extra` YAML added at the end of the top-level map. */
const withTop = (extra: string) => PATCH_ONE_WORD + extra;

const LITMUS = `RISCV CoRF
{ 0:t0=instr:"li t6, 2"; 0:a1=P1:mod; 1:a2=P1:mod; }
P0           | P1                ;
sw t0,0(a1)  | lwu s0, 0(a2)      ;
             | mod:              ;
             | li t6, 1          ;
             | mv s1, t6         ;
exists (1:s0=instr:"li t6, 2" /\\ 1:s1=1)
`;

describe('YAML aliases', () => {
  it('are resolved: an aliased claim is judged, not dropped', () => {
    const s = scenario(withTop('claims:\n  - always: &c crash\n  - never: *c\n'));
    expect(s.claims.map((c) => c.text)).toEqual(['always: crash', 'never: crash']);
  });

  it('a value used through 101 aliases is read (copies of a scalar are no attack)', () => {
    const s = scenario(withTop(`description: &d patched\nclaims:\n${'  - never: { calls: *o }\n'.repeat(101).replace('*o', '&o old_target')}`));
    expect(s.claims).toHaveLength(101);
  });

  it('a billion laughs stops at the alias that passes the limit, named', () => {
    const laughs = ['lol0: &a0 [x, x, x, x, x, x, x, x, x]', ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => `lol${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`)];
    const text = `name: lol\n${laughs.join('\n')}\n`;
    expect(errors(text)).toEqual(['6:12: YAML: aliases copy more than 10,000 nodes in this block, the limit on alias expansion (write the values out, or anchor smaller parts)']);
  });

  it('an alias that names no anchor', () => {
    expect(errors(withTop('description: *nope\n'))).toEqual(['20:14: YAML: the alias *nope names no anchor before it (an anchor (&nope) marks a node before its aliases, in the same block)']);
  });

  it('an alias inside the node it names', () => {
    expect(errors(withTop('description: &d [*d]\n'))).toEqual(['20:18: YAML: the alias *d is inside the node it names, which would then contain itself']);
  });

  it('an alias used as a key that repeats another key', () => {
    expect(errors(withTop('description: &k harts\n*k : []\n'))).toEqual(['21:1: YAML: Map keys must be unique']);
  });

  it('a recording written through an alias is refused: --update rewrites the recording where it stands', () => {
    const text = withTop('description: &o ""\noutcomes: *o\n');
    expect(errors(text)).toEqual(['21:1: outcomes: is written out, not an alias: --update rewrites its lines where they stand']);
  });
});

describe('nesting depth', () => {
  it('3,000-deep flow YAML: the first collection past the limit (the top-level map is the first level)', () => {
    expect(errors(withTop(`description: ${'['.repeat(3000)}${']'.repeat(3000)}\n`))).toEqual(['20:77: YAML: nested deeper than 64 levels, the limit on nesting']);
  });

  it('deep block YAML (- - - ...)', () => {
    expect(errors(withTop(`description:\n  ${'- '.repeat(3000)}x\n`))).toEqual(['21:129: YAML: nested deeper than 64 levels, the limit on nesting']);
  });

  it('64 levels are read', () => {
    expect(errors(withTop(`description: ${'['.repeat(63)}${']'.repeat(63)}\n`))).toEqual(['20:14: description: expected string']);
  });

  it('aliases that would nest past the limit', () => {
    const deep = (n: number) => `${'['.repeat(n)}x${']'.repeat(n)}`;
    expect(errors(withTop(`a: &a ${deep(40)}\nb: ${deep(30)[0].repeat(30)}*a${']'.repeat(30)}\n`))).toEqual(['21:34: YAML: nested deeper than 64 levels, the limit on nesting']);
  });

  it('a litmus condition in 5,000 parentheses, or behind 5,000 negations', () => {
    const deep = LITMUS.replace(/exists .*/, `exists ${'('.repeat(5000)}1:s1=1${')'.repeat(5000)}`);
    expect(errors(deep, 'deep.litmus')).toEqual(['8:72: parentheses and ~ nested deeper than 64 levels, the limit on nesting']);
    const nots = LITMUS.replace(/exists .*/, `exists ${'~'.repeat(5000)}1:s1=1`);
    expect(errors(nots, 'nots.litmus')).toEqual(['8:72: parentheses and ~ nested deeper than 64 levels, the limit on nesting']);
    expect(errors(LITMUS.replace(/exists .*/, `exists ${'('.repeat(64)}1:s1=1${')'.repeat(64)}`), 'ok.litmus')).toEqual([]);
  });

  it('a final: condition in deep parentheses', () => {
    const text = withTop(`claims:\n  - never: { final: '${'('.repeat(5000)}cpu1:a0=1${')'.repeat(5000)}' }\n`);
    expect(errors(text)).toEqual(['21:86: parentheses and ~ nested deeper than 64 levels, the limit on nesting']);
  });
});

describe('repetition counts', () => {
  it('times: 1000000 and times: 2^64 are over the limit, as written', () => {
    expect(errors(PATCH_ONE_WORD.replace('  - calls: func', '  - calls: func\n    times: 1000000'))).toEqual(['20:12: harts[0].times: 1000000 is more than 1000, the limit on repetition counts']);
    expect(errors(PATCH_ONE_WORD.replace('  - calls: func', '  - calls: func\n    times: 18446744073709551616'))).toEqual([
      '20:12: harts[0].times: 18446744073709551616 is more than 1000, the limit on repetition counts',
    ]);
  });

  it("a driver's calls, times its repetitions, are bounded", () => {
    const calls = `[${Array(20).fill('func').join(', ')}]`;
    expect(errors(PATCH_ONE_WORD.replace('  - calls: func', `  - calls: ${calls}\n    times: 1000`))).toEqual([
      "20:12: this hart's driver would make 20,000 calls (20 calls, 1000 times), more than 10,000, the limit on a driver's calls",
    ]);
  });
});

describe('notebooks', () => {
  const notebook = (body: string) => `# t\n\n\`\`\`patchlit\n${PATCH_ONE_WORD.trimStart()}\`\`\`\n${body}`;

  it('lone carriage returns are refused where the first one is', () => {
    expect(errors(notebook('').replace(/\n/g, '\r'), 'cr.md')).toEqual([
      "1:4: a carriage return that ends no line (lone CR): lines end with LF or CRLF here (convert the line endings to LF (dos2unix -c mac, or the editor's line-ending setting))",
    ]);
    expect(errors(notebook('').replace('name: one-word\n', 'name: one-word\r'), 'cr.md')).toEqual([expect.stringMatching(/^4:15: a carriage return that ends no line/)]);
    expect(errors(LITMUS.replace('\n', '\r'), 'cr.litmus')).toEqual([expect.stringMatching(/^1:11: a carriage return that ends no line/)]);
  });

  it('CRLF notebooks are read', () => {
    expect(errors(notebook('').replace(/\n/g, '\r\n'), 'crlf.md')).toEqual([]);
  });

  it('an imported file with a lone CR: the error in it, with a note at the import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchlit-limits-'));
    writeFileSync(join(dir, 'lib.yaml'), 'symbols:\r  x: 1\n');
    const file = join(dir, 'a.md');
    const text = notebook('').replace('name: one-word\n', 'name: one-word\nimport: lib.yaml\n');
    writeFileSync(file, text);
    try {
      readNotebook(file, text);
      expect.unreachable();
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      expect(e.diagnostics.map((d) => [`${d.pos.line}:${d.pos.col}: ${d.message}`, ...(d.notes ?? []).map((n) => `${n.pos.line}:${n.pos.col}: ${n.message}`)])).toEqual([
        ['1:9: a carriage return that ends no line (lone CR): lines end with LF or CRLF here', '5:9: imported here, by scenario "one-word"'],
      ]);
    }
  });

  it('an unclosed front matter is an error, not ignored', () => {
    expect(errors(`---\npatchlit:\n  model: { fetch: bogus }\n\n${notebook('')}`, 'fm.md')).toEqual([
      '1:1: the front matter opened here has no closing "---" line (end the front matter with a line "---"; a notebook whose first line is "---" starts with YAML front matter)',
    ]);
  });
});

describe('messages', () => {
  it('a name that is not one says what a name is, not what the key means', () => {
    expect(errors(PATCH_ONE_WORD.replace('name: one-word', 'name: "one word"'))).toEqual(['2:7: name: "one word" is not a name (a letter or _, then letters, digits, _, . or -)']);
  });

  it('an instr:"..." value whose string runs on past its line is no value', () => {
    expect(errors(LITMUS.replace('instr:"li t6, 2";', 'instr:"li t6,\n2";'), 'multi.litmus')).toEqual([
      '2:8: "instr:"li t6,…" is not a value: write a number, instr:"<instruction>", P<k>:<label> or a location name',
    ]);
  });

  it('a YAML complaint repeated along a line (one per stray token after the first) is said once', () => {
    expect(errors(withTop('description: [x] ] ] ] ]\n'))).toEqual(['20:18: YAML: Unexpected flow-seq-end token in YAML stream: "]"']);
  });

  it('a message quotes one line of what it cites, cut short (an initial state entry may span lines)', () => {
    const text = LITMUS.replace('0:t0=instr:"li t6, 2";', `0:t0=inst${'x'.repeat(100)}\nVariant=self\n;`);
    expect(errors(text, 'multi.litmus')).toEqual([`2:8: "inst${'x'.repeat(56)}…" is not a value: write a number, instr:"<instruction>", P<k>:<label> or a location name`]);
    expect(errors(LITMUS.replace('0:t0=instr:"li t6, 2";', '0:t0=inst\nVariant=self\n;'), 'multi.litmus')).toEqual([
      '2:8: "inst…" is not a value: write a number, instr:"<instruction>", P<k>:<label> or a location name',
    ]);
  });

  it('a double-quoted final: whose /\\ YAML took for an escape gets a hint', () => {
    const text = withTop('claims:\n  - never: { final: "cpu1:a0=1 /\\ cpu1:a0=2" }\n');
    expect(errors(text)).toEqual([expect.stringMatching(/^21:32: unexpected "\/" in the condition \(inside double quotes YAML reads a backslash as an escape/)]);
    expect(errors(withTop("claims:\n  - never: { final: 'cpu1:a0=1 /\\ cpu1:a0=2' }\n"))).toEqual([]);
    expect(errors(withTop('claims:\n  - never: { final: "cpu1:a0=1 /\\\\ cpu1:a0=2" }\n'))).toEqual([]);
  });
});
