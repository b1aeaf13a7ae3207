// The Mermaid bundle HTML reports load is committed (src/report/assets/), so that no
// consumer installs Mermaid: it must be, byte for byte, the bundle of the package version
// package.json pins, and the one the build ships in dist/ (scripts/build.ts copies it).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MERMAID_PACKAGE, mermaidAssetSources } from '../../scripts/mermaid-asset.ts';

const REFRESH = 'npm run assets:mermaid';

function installedVersion(): string | undefined {
  try {
    return (createRequire(import.meta.url)(`${MERMAID_PACKAGE}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

describe('the committed Mermaid bundle', () => {
  const pinned = (JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> }).devDependencies[MERMAID_PACKAGE];

  it(`is ${MERMAID_PACKAGE}'s, at the exact version package.json pins, with its licence`, () => {
    expect(pinned, 'pinned to one version, so that the committed copy says which it is').toMatch(/^\d+\.\d+\.\d+$/);
    expect(installedVersion(), `node_modules does not hold the ${MERMAID_PACKAGE} package.json pins: run npm ci`).toBe(pinned);
    for (const f of mermaidAssetSources()) expect(readFileSync(f.path).equals(readFileSync(f.source)), `${f.path} differs from ${f.source}: run \`${REFRESH}\` and commit the result`).toBe(true);
    expect(readFileSync('src/report/assets/mermaid.min.js', 'utf8')).toContain(`"${pinned}"`);
    expect(readFileSync('src/report/assets/mermaid.LICENSE.txt', 'utf8')).toMatch(/^The MIT License/);
  });

  it('ships in dist/, next to the compiled report code that lists it', () => {
    for (const name of ['mermaid.min.js', 'mermaid.LICENSE.txt', 'stepper.js']) {
      expect(readFileSync(`dist/report/assets/${name}`).equals(readFileSync(`src/report/assets/${name}`)), name).toBe(true);
    }
  });
});
