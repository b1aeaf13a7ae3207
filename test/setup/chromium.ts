// Vitest global set-up: under CI, the HTML report's browser test (test/e2e/html.test.ts)
// must run, so a missing Chromium is installed from the distribution (Debian's package
// `chromium`, which provides /usr/bin/chromium) before the tests start. Outside CI
// nothing is installed: that test skips itself and says how to install it.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

/** Runs a command as root (through sudo when not root already), showing it and its output. */
function asRoot(command: readonly string[]): void {
  const root = process.getuid?.() === 0;
  // sudo drops the environment: `env` sets what apt needs on the far side of it.
  const argv = root ? ['env', 'DEBIAN_FRONTEND=noninteractive', ...command] : ['sudo', 'env', 'DEBIAN_FRONTEND=noninteractive', ...command];
  console.log(`[chromium set-up] ${argv.join(' ')}`);
  execFileSync(argv[0], argv.slice(1), { stdio: 'inherit' });
}

export default function setup(): void {
  if (!process.env.CI || existsSync(CHROMIUM)) return;
  console.log(`[chromium set-up] ${CHROMIUM} is missing and CI is set: installing the chromium package for the HTML report's browser test`);
  asRoot(['apt-get', 'update']);
  asRoot(['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']);
  if (!existsSync(CHROMIUM)) throw new Error(`[chromium set-up] the chromium package was installed but ${CHROMIUM} is still missing (a distribution whose chromium is not a Debian package, such as Ubuntu's snap?)`);
  console.log(`[chromium set-up] installed ${CHROMIUM}`);
}
