// npm run bench:scale: the seed's three-step protocol (each remote hart calling func twice,
// the rewind on) at 1 to 6 remote harts, all five configurations, one process per harts
// count so that each has its own peak RSS: states, states/s and seconds per configuration,
// the wall time of the five together (`--jobs`, default one thread per core), medians of 3
// up to two harts and one run beyond. A harts count gets --timeout seconds (default 600)
// for its five configurations; a search cut off is reported incomplete, with the states it
// reached. Extra arguments go to bench:explore (--no-reduction, --models, --jobs, ...).
//
// Usage: npm run bench:scale [-- --upto N] [bench:explore options]

import { spawnSync } from 'node:child_process';

const argv = process.argv.slice(2);
const at = argv.indexOf('--upto');
const upto = at >= 0 ? Number(argv[at + 1]) : 6;
const passOn = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : argv;
for (let n = 1; n <= upto; n++) {
  const args = ['--max-old-space-size=16384', '--import', 'tsx', 'test/bench/three-step.ts', '--harts', String(n), '--repeat', n <= 2 ? '3' : '1', ...passOn];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(n === 1 ? r.stdout : r.stdout.split('\n').slice(1).join('\n'));
  if (r.status !== 0) process.stdout.write(`(${n} harts: exit ${r.status}${r.signal ? `, ${r.signal}` : ''})\n`);
}
