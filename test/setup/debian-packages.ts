// Vitest global set-up: under CI, tests that need a program from the distribution must run,
// not skip, so whatever of it is missing is installed from Debian's packages before the
// tests start, in one apt-get call (one index update, one install, however many are
// missing). Outside CI nothing is installed: those tests skip themselves and say what to
// install.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

interface Need {
  /** Which tests need it. */
  readonly what: string;
  /** The commands or files that must be there afterwards. */
  readonly missing: () => string[];
  readonly packages: readonly string[];
}

const runs = (tool: string) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;

const NEEDS: readonly Need[] = [
  // The HTML report's browser test (test/e2e/html.test.ts): Debian's chromium provides /usr/bin/chromium.
  { what: "the HTML report's browser test", missing: () => (existsSync('/usr/bin/chromium') ? [] : ['/usr/bin/chromium']), packages: ['chromium'] },
  // The QEMU tests (test/hw/qemu.test.ts): the bare-metal cross toolchain and QEMU's RISC-V machines.
  {
    what: 'the QEMU tests',
    missing: () => ['riscv64-unknown-elf-gcc', 'riscv64-unknown-elf-objdump', 'qemu-system-riscv64'].filter((t) => !runs(t)),
    packages: ['gcc-riscv64-unknown-elf', 'binutils-riscv64-unknown-elf', 'qemu-system-misc'],
  },
];

/** Runs a command as root (through sudo when not root already), showing it and its output. */
function asRoot(command: readonly string[]): void {
  const root = process.getuid?.() === 0;
  // sudo drops the environment: `env` sets what apt needs on the far side of it.
  const argv = root ? ['env', 'DEBIAN_FRONTEND=noninteractive', ...command] : ['sudo', 'env', 'DEBIAN_FRONTEND=noninteractive', ...command];
  console.log(`[debian set-up] ${argv.join(' ')}`);
  execFileSync(argv[0], argv.slice(1), { stdio: 'inherit' });
}

export default function setup(): void {
  if (!process.env.CI) return;
  const wanted = NEEDS.filter((n) => n.missing().length);
  if (!wanted.length) return;
  for (const n of wanted) console.log(`[debian set-up] CI is set and ${n.missing().join(', ')} missing: installing ${n.packages.join(' ')} for ${n.what}`);
  asRoot(['apt-get', 'update']);
  asRoot(['apt-get', 'install', '-y', '--no-install-recommends', ...wanted.flatMap((n) => n.packages)]);
  const still = wanted.flatMap((n) => n.missing());
  if (still.length) throw new Error(`[debian set-up] the packages were installed but ${still.join(', ')} still missing (a distribution that is not Debian's, or names them otherwise?)`);
  console.log('[debian set-up] installed what the tests need');
}
