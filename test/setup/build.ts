// Vitest global set-up: builds dist/ (scripts/build.ts) before any test runs. The tests
// that run the command as a user does spawn the compiled CLI (test/cli/command.ts BIN),
// which starts in a tenth of the time the sources take through tsx, and the package's
// consumer test packs dist/: both must see the sources as they are now, never a dist/
// left by an older build. A failed build (a type error) stops the run here.

import { build } from '../../scripts/build.ts';

export default function setup(): void {
  const started = Date.now();
  build();
  console.log(`[build] dist/ compiled from src/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
