// schema/scenario.schema.json, the scenario format for editors: the committed file is what
// the generator writes, it works on its own (every reference a pointer inside the file),
// every scenario of the repository's notebooks validates against it, and bad ones do not.

import { readFileSync } from 'node:fs';
import { scenarioFiles } from '../../src/files.ts';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REGENERATE, schemaFiles } from '../../scripts/gen-schemas.ts';
import { readNotebook } from '../../src/scenario/index.ts';
import { PATCH_ONE_WORD } from '../helpers.ts';

const FILE = 'schema/scenario.schema.json';
const committed = readFileSync(FILE, 'utf8');
const schema = JSON.parse(committed) as Record<string, unknown>;
// Strict mode (Ajv's default) also rejects keywords it does not know, which an editor would
// silently ignore; union types (`type: [integer, string]`) are the format's own choice.
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);

/** Every value under a key named `key`, anywhere in a JSON value. */
function valuesOf(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((x) => valuesOf(x, key));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => [...(k === key ? [v] : []), ...valuesOf(v, key)]);
}

/** The notebooks and YAML files a run of the directory reads (a README indexes them: not one). */
function notebooks(dir: string): string[] {
  return scenarioFiles([dir]).filter((f) => /\.(md|ya?ml)$/.test(f));
}

/** The patchlit (not litmus) blocks of every notebook under scenarios/, as the YAML they hold. */
const BLOCKS = notebooks('scenarios').flatMap((file) =>
  readNotebook(file, readFileSync(file, 'utf8'))
    .entries.filter((e) => !e.scenario.litmus)
    .map((e) => ({ where: `${file}:${e.block.line + 1} ${e.scenario.name}`, doc: parse(e.block.source) as unknown })),
);

const errorsOf = (doc: unknown) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));

describe('schema/scenario.schema.json', () => {
  it('is what scripts/gen-schemas.ts generates', () => {
    const generated = schemaFiles().find((f) => f.path === FILE)!.text;
    expect(committed, `${FILE} is out of date: run \`${REGENERATE}\` and commit the result`).toBe(generated);
  });

  it('stands alone: identified and titled, every reference a pointer that resolves inside the file', () => {
    expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', $id: expect.stringMatching(/^urn:patchlit:/), title: 'patchlit scenario' });
    expect(schema.description).toEqual(expect.stringContaining('scenario'));
    const refs = valuesOf(schema, '$ref') as string[];
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/definitions\/[a-z]+$/);
      expect((schema.definitions as Record<string, unknown>)[ref.split('/')[2]]).toBeDefined();
    }
    // No location-independent identifier is left for an editor to resolve.
    expect(valuesOf(schema, '$id')).toEqual([schema.$id]);
  });

  it('keeps the description beside a reference, where editors show it', () => {
    const claims = (schema.properties as Record<string, { items: { properties: Record<string, unknown> } }>).claims.items.properties;
    expect(claims.eventually).toEqual({ description: expect.stringContaining('Every fair run'), allOf: [{ $ref: '#/definitions/predicate' }] });
    expect(claims.never).toEqual({ $ref: '#/definitions/predicate' });
  });

  it('accepts every scenario of the notebooks under scenarios/', () => {
    expect(BLOCKS.length).toBeGreaterThan(20);
    const bad = BLOCKS.map((b) => ({ where: b.where, errors: errorsOf(b.doc) })).filter((b) => b.errors.length);
    expect(bad).toEqual([]);
  });

  it('rejects what the validator rejects: unknown keys, unknown words, malformed steps', () => {
    const good = parse(`${PATCH_ONE_WORD}claims:\n  - never: crash\n`);
    expect(errorsOf(good)).toEqual([]);
    expect(errorsOf({ ...good, claim: [] })).toEqual([' must NOT have additional properties']);
    expect(errorsOf({ ...good, model: { fetch: 'zicid' } })).toContain('/model/fetch must be equal to one of the allowed values');
    expect(errorsOf({ ...good, claims: [{ never: 'crashes' }] })).toContain('/claims/0/never must be equal to one of the allowed values');
    expect(errorsOf({ ...good, claims: [{ never: { not: { calls: 1 } } }] })).toContain('/claims/0/never/not/calls must be string,array');
    expect(errorsOf({ ...good, patch: [{ store: { at: 'func', insn: 'NEW' }, 'fence.i': true }] })).toContain('/patch/0 must NOT have more than 1 properties');
    expect(errorsOf({ ...good, patch: ['fence w;w'] })).toContain('/patch/0 must match pattern "^(fence\\.i|fence\\.tso|fence(\\s+[iorw]+\\s*,\\s*[iorw]+)?|synchronize_rcu_tasks)$"');
    const { name: _, ...nameless } = good as Record<string, unknown>;
    expect(errorsOf(nameless)).toEqual([" must have required property 'name'"]);
  });
});

describe('schema/library.schema.json', () => {
  const LIBRARY_FILE = 'schema/library.schema.json';
  const text = readFileSync(LIBRARY_FILE, 'utf8');
  const check = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(JSON.parse(text) as object);
  const libraries = notebooks('scenarios').filter((f) => readNotebook(f, readFileSync(f, 'utf8')).kind === 'library');

  it('is what scripts/gen-schemas.ts generates', () => {
    expect(text, `${LIBRARY_FILE} is out of date: run \`${REGENERATE}\` and commit the result`).toBe(schemaFiles().find((f) => f.path === LIBRARY_FILE)!.text);
  });

  it('accepts the libraries under scenarios/, and rejects scenario keys in one', () => {
    expect(libraries).toContain('scenarios/lib/ftrace.yaml');
    for (const f of libraries) expect(check(parse(readFileSync(f, 'utf8'))), f).toBe(true);
    expect(check({ symbols: { a: 1 }, harts: [{ calls: 'a' }] })).toBe(false);
  });
});

describe('src/scenario/validators.js, the checks Ajv compiled ahead of time', () => {
  const VALIDATORS_FILE = 'src/scenario/validators.js';

  it('is what scripts/gen-schemas.ts generates from the schemas the validator uses', () => {
    const generated = schemaFiles().find((f) => f.path === VALIDATORS_FILE)!.text;
    expect(readFileSync(VALIDATORS_FILE, 'utf8'), `${VALIDATORS_FILE} is out of date: run \`${REGENERATE}\` and commit the result`).toBe(generated);
  });
});
