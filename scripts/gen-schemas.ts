// Writes the JSON Schema files under schema/ from the objects the code uses, so the files
// cannot drift from what the validator and the JSON report do (their tests compare):
//
//   node --import tsx scripts/gen-schemas.ts
//
// schema/scenario.schema.json: the scenario format, for editors (YAML language server).
// schema/library.schema.json: a library of definitions that scenarios import, likewise.
// schema/report.schema.json: what `patchlit run --format json` prints.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REPORT_SCHEMA } from '../src/report/json-schema.ts';
import { standaloneLibrarySchema, standaloneScenarioSchema } from '../src/scenario/schema-file.ts';

export const REGENERATE = 'node --import tsx scripts/gen-schemas.ts';

const fileText = (schema: unknown) => JSON.stringify(schema, null, 2) + '\n';

/** Each schema file, by its path from the repository's root, with the text it should hold. */
export function schemaFiles(): Array<{ path: string; text: string }> {
  return [
    { path: 'schema/scenario.schema.json', text: fileText(standaloneScenarioSchema()) },
    { path: 'schema/library.schema.json', text: fileText(standaloneLibrarySchema()) },
    { path: 'schema/report.schema.json', text: fileText(REPORT_SCHEMA) },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const f of schemaFiles()) {
    writeFileSync(root + f.path, f.text);
    console.log(`wrote ${f.path}`);
  }
}
