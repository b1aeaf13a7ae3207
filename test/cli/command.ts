// The command as a user runs it, shared by the CLI tests: a subprocess at a terminal (no
// colour, CI's variable left out), its output, its exit status, a directory of files.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

/**
 * The command as package.json's "bin" installs it: compiled, with plain node. The global
 * set-up (test/setup/build.ts) builds dist/ from the sources before any test runs.
 */
export const BIN = join(process.cwd(), 'dist', 'cli', 'bin.js');

/** The environment of someone at a terminal, whatever runs the tests: CI's own variable left out. */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.CI;
  return env;
}

/** The command's exit status (null when `timeoutMs` passed first and it was killed), and its output. */
export function patchlit(args: string[], cwd: string, timeoutMs?: number) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: userEnv(), ...(timeoutMs ? { timeout: timeoutMs } : {}) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh directory holding `files` (paths relative to it, directories made as needed); returns its path. */
export function workspace(files: Record<string, string>, prefix = 'patchlit-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** `patchlit ARGS` left running (--watch): its output so far, and a wait for a line of it (up to 30 s). */
export function running(args: string[], cwd: string): { child: ChildProcess; output: () => string; until: (pattern: RegExp) => Promise<void> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: userEnv() });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const until = async (pattern: RegExp) => {
    for (let i = 0; i < 300 && !pattern.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    expect(out).toMatch(pattern);
  };
  return { child, output: () => out, until };
}

/** `patchlit ARGS` in this process, from `cwd` (faster than a subprocess): its exit status and output. */
export async function inProcess(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const was = process.cwd();
  process.chdir(cwd);
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    process.chdir(was);
    err.mockRestore();
    out.mockRestore();
  }
}
