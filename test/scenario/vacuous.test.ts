// A claim that cannot fail is an error, not a pass (issue 14): constants no location can
// hold, `xfail:` words YAML 1.2 reads as reasons, predicates over nothing, a scenario
// that checks nothing. Each is bad input, at the place to fix.

import { describe, expect, it } from 'vitest';
import { checksNothing, readNotebook } from '../../src/scenario/index.ts';
import { errors, PATCH_ONE_WORD, scenario } from '../helpers.ts';

/** PATCH_ONE_WORD with a 4-byte datum `flag`, and these claims (from line 23). */
const withClaims = (...claims: string[]) => `${PATCH_ONE_WORD}data:\n  flag: { at: 0x80001000, asm: ".word 0" }\nclaims:\n${claims.map((c) => `  - ${c}\n`).join('')}`;

describe('final: constants are as wide as the location they are compared with', () => {
  it('a constant past 2^64 - 1 is an error at the constant, not reduced mod 2^64', () => {
    expect(errors(withClaims('sometimes: { final: "cpu1:a0=18446744073709551616" }'))).toEqual([
      "23:34: 18446744073709551616 does not fit in cpu1:a0, a 64-bit register (write a value from -9223372036854775808 to 18446744073709551615 (0xffffffffffffffff); a negative one is read in two's complement)",
    ]);
    expect(errors(withClaims('sometimes: { final: "cpu1:a0=-9223372036854775809" }'))).toEqual([expect.stringMatching(/^23:34: -9223372036854775809 does not fit in cpu1:a0/)]);
  });

  it('a memory location has the width of its datum: 0x100000000 does not fit a .word', () => {
    expect(errors(withClaims('never: { final: "flag=0x100000000" }'))).toEqual([expect.stringMatching(/^23:27: 0x100000000 does not fit in flag, 4 bytes \(write a value from -2147483648 to 4294967295 \(0xffffffff\)/)]);
  });

  it("a negative constant is read in two's complement at the location's width", () => {
    const [c64, c32] = scenario(withClaims('sometimes: { final: "cpu1:a0=-1" }', 'never: { final: "flag=-1" }')).claims;
    expect(c64.predicate).toMatchObject({ condition: { value: 0xffffffffffffffffn } });
    expect(c32.predicate).toMatchObject({ condition: { value: 0xffffffffn } });
    // The edges fit.
    expect(errors(withClaims('never: { final: "cpu1:a0=0xffffffffffffffff" }', 'never: { final: "flag=-2147483648" }'))).toEqual([]);
  });
});

describe('xfail: YAML 1.1 booleans are not reasons', () => {
  it('no, off, n (any case, unquoted) on a claim or a scenario are errors asking for false or a reason', () => {
    for (const word of ['no', 'off', 'n', 'No', 'OFF']) {
      expect(errors(withClaims(`never: crash\n    xfail: ${word}`))).toEqual([
        `24:12: xfail: "${word}" would be read as the reason a failure is expected, not as false (write false (or leave xfail out) to expect it to hold, or the reason it fails in words)`,
      ]);
    }
    expect(errors(`xfail: off\n${withClaims('never: crash')}`)).toEqual([expect.stringMatching(/^1:8: xfail: "off" would be read as the reason a failure is expected, not as false/)]);
  });

  it('yes, on, y ask for true', () => {
    expect(errors(withClaims('never: crash\n    xfail: yes'))).toEqual([expect.stringMatching(/^24:12: xfail: "yes" would be read as the reason a failure is expected, not as true \(write true, or the reason in words\)$/)]);
  });

  it('false expects the check to hold, a quoted word or a sentence is a reason, and a table row listed with "no" is an error', () => {
    const [held, quoted, reason] = scenario(withClaims('never: crash\n    xfail: false', 'never: crash\n    xfail: "no"', 'never: crash\n    xfail: no such luck')).claims;
    expect(held.xfail).toBeUndefined();
    expect(quoted.xfail).toBe('no');
    expect(reason.xfail).toBe('no such luck');
    const table = `${PATCH_ONE_WORD}claims:\n  - never: crash\ntable:\n  alphabet: { o: { exec: func } }\n  classes: { any: no-calls }\n  rows: ["o -- any"]\n  xfail: { o: off }\n`;
    expect(errors(table)).toEqual([expect.stringMatching(/^26:15: xfail: "off" would be read as the reason/)]);
  });
});

describe('predicates over nothing', () => {
  it('{any: []} never holds and {all: []} always does: errors at the empty list', () => {
    expect(errors(withClaims('never: { any: [] }', 'always: { all: [] }'))).toEqual([
      '23:19: "any" of no predicates never holds (list the predicates it combines, or leave it out)',
      '24:20: "all" of no predicates always holds (list the predicates it combines, or leave it out)',
    ]);
  });

  it('{calls: []} names no stub', () => {
    expect(errors(withClaims('sometimes: { calls: [] }'))).toEqual(['23:25: "calls" names no stub: it never holds (name the stubs it is about: { calls: old_target })']);
  });

  it('executed at an address that holds no code (data, a stub, no memory) never holds', () => {
    expect(errors(withClaims('never: { executed: [nop], at: flag }', 'never: { executed: [nop], at: old_target }', 'never: { executed: [nop], at: 0x90000000 }'))).toEqual([
      '23:35: no code at flag, where "nop" would run: "executed" never holds there (give the address of an instruction in a code: region)',
      '24:35: no code at old_target, where "nop" would run: "executed" never holds there (give the address of an instruction in a code: region)',
      '25:35: no code at 0x90000000, where "nop" would run: "executed" never holds there (give the address of an instruction in a code: region)',
    ]);
    // The second instruction of a pair past the end of the code, at that instruction.
    expect(errors(withClaims('never: { executed: [j old_target, nop], at: func }'))).toEqual([expect.stringMatching(/^23:39: no code at 0x80000004, where "nop" would run/)]);
    // A table's class is a predicate too.
    const table = `${PATCH_ONE_WORD}claims:\n  - never: crash\ntable:\n  alphabet: { o: { exec: func } }\n  classes: { odd: { executed: [nop], at: old_target } }\n  rows: ["o -- odd"]\n`;
    expect(errors(table)).toEqual([expect.stringMatching(/^24:42: no code at old_target/)]);
  });
});

describe('a scenario that checks nothing', () => {
  const file = (yaml: string) => readNotebook('t.yaml', yaml).entries[0].scenario;

  it('is refused where it is to be judged: no claims, no table rows, no recorded outcomes', () => {
    expect(checksNothing(file(PATCH_ONE_WORD))).toEqual([
      {
        pos: { file: 't.yaml', line: 2, col: 1 },
        message: 'scenario "one-word" checks nothing: it has no claims, no table rows and no recorded outcomes',
        hint: 'add claims: (never:, always:, sometimes: or eventually: a predicate), or start a recording with an empty outcomes: and run --update',
      },
    ]);
  });

  it('a claim, a table row or a recording is a check', () => {
    expect(checksNothing(file(withClaims('never: crash')))).toEqual([]);
    expect(checksNothing(file(`${PATCH_ONE_WORD}outcomes:\n`))).toEqual([]);
    expect(checksNothing(file(`${PATCH_ONE_WORD}table:\n  alphabet: { o: { exec: func } }\n  classes: { any: no-calls }\n  rows: ["o -- any"]\n`))).toEqual([]);
  });
});
