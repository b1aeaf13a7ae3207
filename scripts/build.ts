// Compiles src/ to dist/: JavaScript with source maps (their sources inlined, since src/
// does not ship) and .d.ts declarations, from tsconfig.build.json, then copies the files
// the compiled code reads beside itself: report/assets (the HTML reports' scripts) and
// hw/target (the bare-metal program's C and assembly), both read by path from
// import.meta.url, scenario/validators.js (the schema checks Ajv compiled ahead
// of time, scripts/gen-schemas.ts) and index.cjs (the require() entry). dist/ is removed first,
// so nothing of a deleted source survives, and left absent when the compiler finds an
// error (noEmitOnError): a failed build never leaves an older dist/ looking current.
//
//   npm run build      (npm ci and npm pack run it as `prepare`; the tests' global set-up too)

import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What the build copies from src/ to dist/ as it is: paths relative to both. */
export const COPIED = ['report/assets', 'hw/target', 'scenario/validators.js', 'index.cjs'] as const;

/** Builds dist/ under `root` (the repository's); throws, with the compiler's messages printed, when it fails. */
export function build(root: string = ROOT): void {
  const dist = join(root, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  for (const path of COPIED) cpSync(join(root, 'src', path), join(dist, path), { recursive: true });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    build();
  } catch (e) {
    // The compiler has said what is wrong; a stack of this script would only bury it.
    if (typeof (e as { status?: unknown }).status !== 'number') throw e;
    process.exitCode = 1;
  }
}
