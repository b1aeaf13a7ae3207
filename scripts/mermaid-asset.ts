// Refreshes the Mermaid browser bundle that HTML reports load from their assets directory
// (report/html.ts htmlAssets), committed under src/report/assets/ so that a consumer of
// patchlit needs no Mermaid package at all (all of `mermaid` is 84 MB installed, for one
// script). The bundle is @mermaid-js/tiny's: Mermaid without the mindmap and architecture
// diagrams and KaTeX, none of which a report draws (its diagrams are sequence diagrams),
// 2.6 MB against the full bundle's 3.6 MB. Its version is the devDependency's, pinned
// exactly in package.json; test/report/mermaid-asset.test.ts holds the committed copy to it.
//
//   npm run assets:mermaid     (after changing the pinned version and `npm install`)

import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MERMAID_PACKAGE = '@mermaid-js/tiny';

/** Each committed file, by its path from the repository's root, and the installed package's file it copies. */
export function mermaidAssetSources(): Array<{ path: string; source: string }> {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve(`${MERMAID_PACKAGE}/package.json`));
  return [
    { path: 'src/report/assets/mermaid.min.js', source: join(root, 'dist', 'mermaid.tiny.js') },
    { path: 'src/report/assets/mermaid.LICENSE.txt', source: join(root, 'LICENSE') },
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const f of mermaidAssetSources()) {
    copyFileSync(f.source, join(root, f.path));
    console.log(`${f.path} <- ${f.source}`);
  }
}
