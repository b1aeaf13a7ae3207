// Structural validation against the JSON Schema (schema.ts) with Ajv, each error mapped
// back to the YAML node it concerns and phrased for someone editing the file by hand. The
// checks are compiled ahead of time (validators.js, `npm run schemas`), not at every start.

import type { ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, type Node } from 'yaml';
import { closestName } from '../isa/index.ts';
import type { BlockSource } from './source.ts';
import type { Diagnostic } from './types.ts';
// Compiled verbose: errors carry their schema, whose known keys make the "did you mean" hints.
import { checkFrontMatter, checkLibrary, checkScenario } from './validators.js';

/** The YAML value as JSON-ish data for the validator: bigints become numbers (range checks come later). */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function pathOf(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The node at a JSON pointer path; array indices are numbers for the YAML API. */
function nodeAt(src: BlockSource, path: string[]): Node | undefined {
  let node: unknown = src.doc.contents;
  for (const seg of path) {
    if (!node || typeof node !== 'object' || !('get' in node)) return undefined;
    const key = isMap(node) ? seg : Number(seg);
    node = (node as { get(k: unknown, keepScalar: boolean): unknown }).get(key, true);
  }
  return node as Node | undefined;
}

function keyNode(map: Node | undefined, key: string): Node | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
  return pair && (pair.key as Node);
}

function describe(path: string[], whole: string): string {
  return path.length ? path.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') : whole;
}

function message(e: ErrorObject, src: BlockSource, whole: string): Diagnostic | undefined {
  const path = pathOf(e.instancePath);
  const node = nodeAt(src, path);
  const where = describe(path, whole);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
      return undefined; // the failing `then`/`else` branch says what is wrong
    case 'required':
      return { pos: src.of(node), message: `${where}: "${p.missingProperty}" is missing` };
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys(((e.parentSchema as { properties?: object })?.properties ?? {}) as object);
      const near = closestName(key, allowed);
      return {
        pos: src.of(keyNode(node, key) ?? node),
        message: `${where}: unknown key "${key}"`,
        hint: near ? `did you mean "${near}"?` : allowed.length ? `known keys: ${allowed.join(', ')}` : undefined,
      };
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      // A value the schema knows to be wrong for a reason says that reason (`x-hints`), not a near miss.
      const known = isScalar(node) ? (e.parentSchema as { 'x-hints'?: Record<string, string> } | undefined)?.['x-hints']?.[String(node.value)] : undefined;
      const near = isScalar(node) ? closestName(String(node.value), allowed) : undefined;
      return {
        pos: src.of(node),
        message: `${where}: ${isScalar(node) ? `"${node.value}" is not one of` : 'expected one of'} ${allowed.join(', ')}`,
        hint: known ?? (near ? `did you mean "${near}"?` : undefined),
      };
    }
    case 'type':
      return { pos: src.of(node), message: `${where}: expected ${String(p.type).replace(/,/g, ' or ')}` };
    case 'pattern': {
      // What the value should be (`x-form`), never the description, which says what it means.
      const form = (e.parentSchema as { 'x-form'?: string } | undefined)?.['x-form'] ?? `of the form /${String(p.pattern)}/`;
      return { pos: src.of(node), message: `${where}: "${isScalar(node) ? node.value : ''}" is not ${form}` };
    }
    case 'maximum': {
      // The number as written (2^64 would print as 18446744073709552000), and the limit it passes, when it is one.
      const limit = (e.parentSchema as { 'x-limit'?: string } | undefined)?.['x-limit'];
      const written = isScalar(node) ? String(node.source ?? node.value) : String(e.data);
      return { pos: src.of(node), message: `${where}: ${written} is more than ${String(p.limit)}${limit ? `, ${limit}` : ''}` };
    }
    case 'minProperties':
    case 'maxProperties':
      return { pos: src.of(node), message: `${where}: expected ${e.keyword === 'maxProperties' ? 'exactly one key' : 'at least one key'}` };
    default:
      return { pos: src.of(node), message: `${where}: ${e.message}` };
  }
}

/** Schema errors of a block's document (a scenario, a library, or a notebook's front matter), most specific first, one per place. */
export function validateStructure(src: BlockSource, what: 'scenario' | 'library' | 'front-matter' = 'scenario'): Diagnostic[] {
  const check = what === 'scenario' ? checkScenario : what === 'library' ? checkLibrary : checkFrontMatter;
  const whole = what === 'library' ? 'the library' : 'the scenario';
  const value = plain(src.doc.toJS({ maxAliasCount: 100 }));
  if (check(value)) return [];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of check.errors ?? []) {
    const d = message(e, src, whole);
    if (!d) continue;
    const key = `${d.pos.line}:${d.pos.col}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d.hint === undefined ? { pos: d.pos, message: d.message } : d);
  }
  return out;
}
