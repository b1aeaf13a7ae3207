// vitest's configuration: the set-up steps the tests need beyond `npm ci`: building dist/
// from the sources as they are (the spawned CLI and the consumer test use it), and, when
// CI runs them, installing Debian's chromium for the HTML report's browser test and the
// RISC-V cross toolchain and QEMU for the hw tests.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./test/setup/build.ts', './test/setup/debian-packages.ts'],
    // Both cores: vitest leaves one free by default, and the files here are CPU-bound
    // searches and subprocesses that wait on each other little.
    maxWorkers: 2,
  },
});
