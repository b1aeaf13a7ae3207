// Vitest global set-up: under CI, the QEMU tests (test/hw/qemu.test.ts) must run, so a
// missing RISC-V cross toolchain or QEMU is installed from the distribution (Debian's
// gcc-riscv64-unknown-elf, binutils-riscv64-unknown-elf and qemu-system-misc) before the
// tests start, as chromium.ts does for the browser test. Outside CI nothing is installed:
// those tests skip themselves and say what to install.

import { execFileSync, spawnSync } from 'node:child_process';

const TOOLS = ['riscv64-unknown-elf-gcc', 'riscv64-unknown-elf-objdump', 'qemu-system-riscv64'];
const PACKAGES = ['gcc-riscv64-unknown-elf', 'binutils-riscv64-unknown-elf', 'qemu-system-misc'];

const missing = () => TOOLS.filter((t) => spawnSync(t, ['--version'], { stdio: 'ignore' }).status !== 0);

/** Runs a command as root (through sudo when not root already), showing it and its output. */
function asRoot(command: readonly string[]): void {
  const root = process.getuid?.() === 0;
  const argv = root ? ['env', 'DEBIAN_FRONTEND=noninteractive', ...command] : ['sudo', 'env', 'DEBIAN_FRONTEND=noninteractive', ...command];
  console.log(`[riscv-tools set-up] ${argv.join(' ')}`);
  execFileSync(argv[0], argv.slice(1), { stdio: 'inherit' });
}

export default function setup(): void {
  if (!process.env.CI || !missing().length) return;
  console.log(`[riscv-tools set-up] ${missing().join(', ')} missing and CI is set: installing ${PACKAGES.join(' ')} for the QEMU tests`);
  asRoot(['apt-get', 'update']);
  asRoot(['apt-get', 'install', '-y', '--no-install-recommends', ...PACKAGES]);
  if (missing().length) throw new Error(`[riscv-tools set-up] the packages were installed but ${missing().join(', ')} still missing`);
  console.log('[riscv-tools set-up] installed the cross toolchain and QEMU');
}
