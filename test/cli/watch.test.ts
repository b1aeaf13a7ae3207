// `--watch`: one callback per burst of edits, naming the scenario files that changed and
// nothing an editor or a package manager leaves beside them.

import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { affectedByImports } from '../../src/cli/run.ts';
import { affectedFiles, watchFiles, type Watcher } from '../../src/cli/watch.ts';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

let open: Watcher[] = [];
afterEach(() => {
  for (const w of open) w.close();
  open = [];
});

/** Starts watching and records every callback; settles long enough for the watches to be in place. */
async function record(paths: string[], debounceMs = 100) {
  const calls: string[][] = [];
  open.push(watchFiles(paths, (changed) => calls.push(changed), { debounceMs }));
  await sleep(100);
  return calls;
}

/** Waits until there is a callback, then long enough for a wrongly split burst to show a second one. */
async function settled(calls: string[][]) {
  for (let waited = 0; calls.length === 0 && waited < 10_000; waited += 50) await sleep(50);
  await sleep(600);
  return calls;
}

function workspace(): string {
  return mkdtempSync(join(tmpdir(), 'patchlit-watch-'));
}

describe('watchFiles', () => {
  it('reports a new Markdown file once', async () => {
    const dir = workspace();
    const calls = await record([dir]);
    writeFileSync(join(dir, 'a.md'), '# a\n');
    expect(await settled(calls)).toEqual([[join(dir, 'a.md')]]);
  }, 20_000);

  it('reports a burst of writes as one sorted, deduplicated list, in subdirectories too', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'seed'));
    const calls = await record([dir]);
    writeFileSync(join(dir, 'seed', 'z.yaml'), 'name: z\n');
    writeFileSync(join(dir, 'b.litmus'), 'RISCV b\n');
    writeFileSync(join(dir, 'seed', 'z.yaml'), 'name: z2\n');
    writeFileSync(join(dir, 'a.markdown'), '# a\n');
    expect(await settled(calls)).toEqual([[join(dir, 'a.markdown'), join(dir, 'b.litmus'), join(dir, 'seed', 'z.yaml')]]);
  }, 20_000);

  it("ignores editors' side files, other extensions, node_modules and dot-directories", async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'node_modules'));
    mkdirSync(join(dir, '.git'));
    const calls = await record([dir]);
    for (const name of ['.a.md.swp', '.#a.md', '#a.md#', 'a.md~', '4913', 'notes.txt', 'node_modules/x.md', '.git/x.md']) writeFileSync(join(dir, name), 'x');
    writeFileSync(join(dir, 'a.md'), '# a\n');
    expect(await settled(calls)).toEqual([[join(dir, 'a.md')]]);
  }, 20_000);

  it('sees a file saved by renaming over it, and a file named on its own whatever its extension', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'one.md'), 'old');
    writeFileSync(join(dir, 'two.txt'), 'old');
    writeFileSync(join(dir, 'other.md'), 'old');
    const calls = await record([join(dir, 'one.md'), join(dir, 'two.txt')]);
    writeFileSync(join(dir, 'one.md.tmp'), 'new');
    renameSync(join(dir, 'one.md.tmp'), join(dir, 'one.md'));
    writeFileSync(join(dir, 'two.txt'), 'new');
    writeFileSync(join(dir, 'other.md'), 'new');
    expect(await settled(calls)).toEqual([[join(dir, 'one.md'), join(dir, 'two.txt')]]);
  }, 20_000);

  it('watches a directory created while watching, and reports deletions', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'gone.md'), 'x');
    const calls = await record([dir]);
    mkdirSync(join(dir, 'new'));
    await sleep(300);
    writeFileSync(join(dir, 'new', 'n.md'), 'x');
    rmSync(join(dir, 'gone.md'));
    expect((await settled(calls)).flat()).toEqual([join(dir, 'gone.md'), join(dir, 'new', 'n.md')]);
  }, 20_000);

  it('reports separate bursts separately, and nothing after close', async () => {
    const dir = workspace();
    const calls = await record([dir], 50);
    writeFileSync(join(dir, 'first.md'), 'x');
    await settled(calls);
    writeFileSync(join(dir, 'second.md'), 'x');
    await sleep(100);
    while (calls.length < 2) await sleep(50);
    open.pop()!.close();
    writeFileSync(join(dir, 'third.md'), 'x');
    await sleep(600);
    expect(calls).toEqual([[join(dir, 'first.md')], [join(dir, 'second.md')]]);
  }, 20_000);
});

describe('Watcher.add', () => {
  it('watches one more file wherever it is, before it exists too, and reports it as spelled', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'scenarios'));
    mkdirSync(join(dir, 'lib'));
    const calls = await record([join(dir, 'scenarios')]);
    open[0].add(join(dir, 'lib', 'l.yaml'));
    open[0].add(join(dir, 'nowhere', 'x.yaml')); // no such directory: nothing to watch, no error
    await sleep(100);
    writeFileSync(join(dir, 'lib', 'other.yaml'), 'x'); // beside it, not added
    writeFileSync(join(dir, 'lib', 'l.yaml'), 'x');
    expect(await settled(calls)).toEqual([[join(dir, 'lib', 'l.yaml')]]);
  }, 20_000);
});

describe('affectedByImports', () => {
  it('the files that changed, and those importing one of them, compared resolved', () => {
    const dependencies = new Map([
      ['scenarios/a.md', new Set(['lib/x.yaml'])],
      ['scenarios/b.md', new Set(['scenarios/../lib/y.yaml'])],
      ['scenarios/c.md', new Set<string>()],
    ]);
    expect([...affectedByImports(['./lib/y.yaml', 'scenarios/c.md'], dependencies)].sort()).toEqual([resolve('lib/y.yaml'), resolve('scenarios/b.md'), resolve('scenarios/c.md')]);
    expect([...affectedByImports(['lib/z.yaml'], dependencies)]).toEqual([resolve('lib/z.yaml')]);
  });
});

describe('affectedFiles', () => {
  it("keeps the known files that changed, in the known files' order and spelling", () => {
    const known = ['./scenarios/b.md', 'scenarios/a.yaml', 'scenarios/c.md'];
    expect(affectedFiles(['scenarios/a.yaml', 'scenarios/b.md', 'scenarios/deleted.md'], known)).toEqual(['./scenarios/b.md', 'scenarios/a.yaml']);
    expect(affectedFiles([], known)).toEqual([]);
  });
});
