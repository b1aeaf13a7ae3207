// Mutations of a seed text, as fast-check values: each says what it does (so a failure can
// be read and replayed) and applies to any text. They aim at the readers' soft spots:
// YAML structure (anchors and aliases, flow and block nesting, quoting, tags, documents),
// Markdown fences and front matter, line endings, numbers at and past every limit,
// assembler directives and expressions, herd conditions, imports, and plain damage
// (deleting, repeating, truncating, splicing another seed in).

import fc from 'fast-check';

/** Tokens worth inserting: each has broken, or bounds, some reader. */
export const TOKENS = [
  // YAML
  '&a ', '*a', '&a [x, x, x, x, x, x, x, x, x, x]', '&b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', '*nope', '<<: *a', '!!binary ', '!!str ', '!!int ', '!!null ', '!foo ',
  '? ', '- ', ': ', '{', '}', '[', ']', ', ', '"', "'", '\\', '|', '|-', '>', '# ', '%YAML 1.1\n', '---\n', '...\n', 'null', '~', 'true', '.inf', '.nan', '',
  // Markdown
  '```', '~~~', '```patchlit\n', '```litmus\n', '````\n', '> ', '    ', '<!-- ', ' -->',
  // characters
  '\t', '\r', '\r\n', '\n', '\u0000', '\uFEFF', '\u00e9', '\u{1F600}', '\u2028',
  // numbers at and past the limits
  '0', '-1', '1', '2', '4096', '0x7fffffff', '0xffffffffffffffff', '18446744073709551616', '-9223372036854775809', '1e400', '1000000', '1000', '1001', '63', '64', '65', '128', '2^64',
  // scenario keys and values
  'name: ', 'extends: ', 'import: ', 'times: ', 'count: ', 'calls: ', 'claims:', 'never: ', 'always: ', 'sometimes: ', 'eventually: ', 'final: ', 'executed: ', 'xfail: ',
  'outcomes: ', 'model: ', 'fetch: ', 'atomicity: line 128', 'budget: ', 'states: ', 'harts:', 'patch:', 'stop_machine: ', 'ipi: ', 'store: ', 'fence.i', 'code:', 'data:',
  'symbols:', 'stubs:', 'insns:', 'spare-harts: ', 'timer: ', 'preempt: ', 'traps:', 'trap-return:', 'run: ', 'until: ', 'regs: ', '{any: []}', '{calls: []}', '{not: crash}',
  // assembly
  'nop', 'ret', 'j .', 'j .+3', 'c.beqz a0, .+3', '.align 3', '.space 16', '.word 0', '.dword 0xffffffffffffffff', '.option rvc', 'auipc t0, %hi(x)', '%lo(', '(((((((', 'label:',
  // herd
  '/\\', '\\/', '~', '(', ')', 'exists ', '~exists ', 'forall ', '(*', '*)', 'instr:"nop"', 'P0:', 'P9', '|', ';', '0:a0=1', '1:x5=2', 'locations [', 'Variant=self\n',
  // imports
  '../lib/ftrace.yaml', '/dev/zero', 'x.md#y', '#', '../../../../',
];

/** Numbers a number in the text may become. */
export const NUMBERS = ['0', '-1', '1', '3', '7', '8', '16', '17', '63', '64', '65', '1000', '1001', '4096', '65536', '0x7fffffff', '0x80000000', '0xffffffffffffffff', '18446744073709551615', '18446744073709551616', '-9223372036854775808', '99999999999999999999999', '1e400', '0.5'];

export type Mutation =
  | { readonly op: 'insert'; readonly at: number; readonly token: string }
  | { readonly op: 'delete'; readonly at: number; readonly length: number }
  | { readonly op: 'number'; readonly which: number; readonly value: string }
  | { readonly op: 'word'; readonly which: number; readonly other: number }
  | { readonly op: 'line'; readonly kind: 'delete' | 'duplicate' | 'swap' | 'indent' | 'dedent'; readonly line: number; readonly other: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'endings'; readonly kind: 'crlf' | 'cr' | 'mixed' }
  | { readonly op: 'nest'; readonly at: number; readonly open: string; readonly close: string; readonly depth: number }
  | { readonly op: 'repeat'; readonly at: number; readonly length: number; readonly times: number }
  | { readonly op: 'splice'; readonly at: number; readonly from: number; readonly start: number; readonly length: number };

/** A position: a fraction of the text's length, so that one mutation means something in any seed. */
const place = fc.nat({ max: 1_000_000 });
const pick = (n: number, k: number) => (n === 0 ? 0 : k % n);
const at = (text: string, p: number) => Math.floor((p / 1_000_001) * (text.length + 1));

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('insert' as const), at: place, token: fc.constantFrom(...TOKENS) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: place, length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('number' as const), which: fc.nat(), value: fc.constantFrom(...NUMBERS) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('word' as const), which: fc.nat(), other: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('line' as const), kind: fc.constantFrom('delete' as const, 'duplicate' as const, 'swap' as const, 'indent' as const, 'dedent' as const), line: fc.nat(), other: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: place }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('endings' as const), kind: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('nest' as const),
      at: place,
      open: fc.constantFrom('[', '{a: ', '- ', '(', '~', '{not: '),
      close: fc.constantFrom(']', '}', '', ')'),
      depth: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 80 }) }, { weight: 1, arbitrary: fc.constantFrom(3000, 5000) }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), at: place, length: fc.integer({ min: 1, max: 200 }), times: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 2, max: 20 }) }, { weight: 1, arbitrary: fc.constant(2000) }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('splice' as const), at: place, from: fc.nat(), start: place, length: fc.integer({ min: 1, max: 400 }) }) },
);

export interface Mutant {
  readonly seed: number;
  readonly mutations: readonly Mutation[];
}

export const mutantArb: fc.Arbitrary<Mutant> = fc.record({ seed: fc.nat(), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 4 }) });

/** `text` with `m` applied; `others` are the seeds a splice takes from. */
export function mutate(text: string, m: Mutation, others: readonly string[]): string {
  switch (m.op) {
    case 'insert': {
      const i = at(text, m.at);
      return text.slice(0, i) + m.token + text.slice(i);
    }
    case 'delete': {
      const i = at(text, m.at);
      return text.slice(0, i) + text.slice(i + m.length);
    }
    case 'number': {
      const spots = [...text.matchAll(/-?\b(?:0x[0-9a-f]+|\d+)\b/gi)];
      if (!spots.length) return text;
      const s = spots[pick(spots.length, m.which)];
      return text.slice(0, s.index) + m.value + text.slice(s.index + s[0].length);
    }
    case 'word': {
      const words = [...text.matchAll(/[A-Za-z_][\w.-]*/g)];
      if (!words.length) return text;
      const w = words[pick(words.length, m.which)];
      const other = words[pick(words.length, m.other)][0];
      return text.slice(0, w.index) + other + text.slice(w.index + w[0].length);
    }
    case 'line': {
      const lines = text.split('\n');
      const i = pick(lines.length, m.line);
      const j = pick(lines.length, m.other);
      if (m.kind === 'delete') lines.splice(i, 1);
      else if (m.kind === 'duplicate') lines.splice(i, 0, lines[i]);
      else if (m.kind === 'swap') [lines[i], lines[j]] = [lines[j], lines[i]];
      else if (m.kind === 'indent') lines[i] = ' '.repeat(1 + (m.other % 4)) + lines[i];
      else lines[i] = lines[i].replace(new RegExp(`^ {1,${1 + (m.other % 4)}}`), '');
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, at(text, m.at));
    case 'endings':
      if (m.kind === 'crlf') return text.replace(/\n/g, '\r\n');
      if (m.kind === 'cr') return text.replace(/\n/g, '\r');
      return text.replace(/\n/g, (nl, i: number) => (i % 3 === 0 ? '\r\n' : nl));
    case 'nest': {
      const i = at(text, m.at);
      return text.slice(0, i) + m.open.repeat(m.depth) + 'x' + m.close.repeat(m.depth) + text.slice(i);
    }
    case 'repeat': {
      const i = at(text, m.at);
      return text.slice(0, i) + text.slice(i, i + m.length).repeat(m.times) + text.slice(i + m.length);
    }
    case 'splice': {
      const from = others[pick(others.length, m.from)] ?? '';
      const s = at(from, m.start);
      const i = at(text, m.at);
      return text.slice(0, i) + from.slice(s, s + m.length) + text.slice(i);
    }
  }
}

/** A mutation as one line, for a failure's report. */
export function describeMutation(m: Mutation): string {
  return JSON.stringify(m);
}
