// SCENARIO_SCHEMA (and LIBRARY_SCHEMA) as files that stand on their own, for editors (the YAML language
// server, VS Code): the validator's schema names its shared parts by location-independent
// identifiers (`$id: '#predicate'`, used as `$ref: '#predicate'`), which Ajv resolves but
// editors often do not. Here every such reference becomes a JSON pointer into
// `definitions`, and a reference with a description beside it is wrapped in allOf, since
// draft-07 ignores whatever stands beside a $ref and editors would lose the hover text.
// Keys starting with `x-` are for the validator only (validate.ts) and are left out.

import { LIBRARY_SCHEMA, SCENARIO_SCHEMA } from './schema.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Identifiers (`#predicate`) by the name of the definition that declares them. */
type Anchors = ReadonlyMap<string, string>;

/** `#predicate` → `#/definitions/predicate`; pointers and other URIs stay. */
function pointerTo(ref: string, anchors: Anchors): string {
  if (!ref.startsWith('#') || ref.startsWith('#/')) return ref;
  const name = anchors.get(ref);
  if (name === undefined) throw new Error(`$ref "${ref}" names no definition`);
  return `#/definitions/${name}`;
}

function rewrite(node: Json, anchors: Anchors, inDefinitions = false): Json {
  if (Array.isArray(node)) return node.map((x) => rewrite(x, anchors));
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$id' && inDefinitions) continue; // the pointer names it now
    if (k.startsWith('x-')) continue; // the validator's own annotations (x-hints): unknown to editors, rejected by strict validators
    out[k] = k === 'definitions' ? Object.fromEntries(Object.entries(v as object).map(([n, d]) => [n, rewrite(d as Json, anchors, true)])) : rewrite(v, anchors);
  }
  if (typeof out.$ref === 'string') {
    const { $ref, ...rest } = out;
    const target = pointerTo($ref, anchors);
    return Object.keys(rest).length ? { ...rest, allOf: [{ $ref: target }] } : { $ref: target };
  }
  return out;
}

/** A schema as a standalone draft-07 file: identifiers, title and description first, then the schema with its references made pointers. */
function standalone(source: object, id: string, description: string): Json {
  const schema = JSON.parse(JSON.stringify(source)) as { [key: string]: Json };
  const definitions = (schema.definitions ?? {}) as { [key: string]: { [key: string]: Json } };
  const anchors = new Map(Object.entries(definitions).flatMap(([name, d]) => (typeof d.$id === 'string' ? [[d.$id, name] as const] : [])));
  const { $schema, title, ...rest } = schema;
  return { $schema, $id: id, title, description, ...(rewrite(rest, anchors) as object) };
}

export function standaloneScenarioSchema(): Json {
  return standalone(
    SCENARIO_SCHEMA,
    'urn:patchlit:schema:scenario',
    'A patchlit scenario: code before a patch, the stores the patching hart makes, what the other harts run, and claims about what can and cannot happen. ' +
      'A .yaml file holds one scenario; a Markdown notebook holds them in ```patchlit blocks.',
  );
}

export function standaloneLibrarySchema(): Json {
  return standalone(
    LIBRARY_SCHEMA,
    'urn:patchlit:schema:library',
    'A patchlit library: a YAML file of definitions (symbols, stubs, code and data regions, named instructions, trap handling) and no name:, ' +
      'which scenarios bring in with import: FILE. It is no scenario itself: patchlit checks it and judges nothing in it.',
  );
}
