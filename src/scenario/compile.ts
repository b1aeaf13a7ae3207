// From a scenario's YAML (its own block, after the blocks it extends) to a Scenario:
// symbols resolved, code assembled, steps and claims read, every error collected.

import { buildClaims, buildTable, expectedFailure } from './claims.ts';
import { buildRecorded } from './records.ts';
import { buildHardware } from './hardware.ts';
import { buildCode } from './code.ts';
import { child, scalarText, type Context } from './context.ts';
import { safeHarbour } from './lint.ts';
import { fenceIReadingLint } from './lint-fence-i.ts';
import { buildFixups } from './fixups.ts';
import { freeLint } from './lint-free.ts';
import { buildPatchers, buildStubs, buildTraps } from './steps.ts';
import { resolveSymbols } from './symbols.ts';
import { FETCH_CONFIG_NAMES, ScenarioError, SUITE_CONFIGS, type Atomicity, type FenceIReading, type FetchConfigName, type ModelOptions, type Scenario } from './types.ts';
import { isSeq } from 'yaml';
import { seqItems, type Located } from './context.ts';

export function compileScenario(ctx: Context): Scenario {
  const own = ctx.layers[ctx.layers.length - 1];
  const name = scalarText(child(own, 'name')) ?? '';
  const description = scalarText(ctx.get('description'));
  const model = buildModel(ctx);
  const budget = buildBudget(ctx);

  resolveSymbols(ctx);
  const code = buildCode(ctx);
  const regionAt = (addr: bigint) =>
    code.regions.find((r) => addr >= r.base && addr < r.base + BigInt(r.bytes.length))?.name;
  const regionOf = (addr: bigint, size: number) => code.regions.find((x) => addr >= x.base && addr + BigInt(size) <= x.base + BigInt(x.bytes.length));
  const inRegion = (addr: bigint, size: number) => regionOf(addr, size) !== undefined;
  const inCode = (addr: bigint, size: number) => regionOf(addr, size)?.kind === 'code';
  // Locks are shared by the patch steps and the service stubs that name them.
  const locks: string[] = [];
  const stubs = buildStubs(ctx, regionAt, { harts: code.harts, locks });
  const traps = buildTraps(ctx);
  const region = (n: string) => {
    const r = code.regions.find((x) => x.name === n);
    return r && { base: r.base, size: r.bytes.length };
  };
  const patchers = buildPatchers(ctx, { harts: code.harts, inRegion, region, regionNames: code.regions.map((r) => r.name), traps, locks });
  const fixups = buildFixups(ctx, code.regions);
  const claims = buildClaims(ctx, stubs, { harts: code.harts, listing: code.listing }, patchers, inCode);
  const table = buildTable(ctx, code.harts, stubs, patchers, inCode);
  const recorded = buildRecorded(ctx);
  const hardware = buildHardware(ctx, model.atomicity, buildAtomicity);
  const expected = expectedFailure(ctx, child(own, 'xfail'));
  if (ctx.diagnostics.length) throw new ScenarioError(ctx.diagnostics);
  const warnings = [
    ...safeHarbour({ patchers, regions: code.regions, harts: code.harts, stubs }, code.listing),
    ...fenceIReadingLint({ patchers, harts: code.harts, regions: code.regions, stubs }, code.listing, model),
    ...freeLint(patchers, code.harts, code.regions),
  ];

  return {
    name,
    ...(description ? { description } : {}),
    pos: own.src.of(own.node),
    system: { regions: code.regions, stubs, harts: code.harts, patchers, fixups, traps, locks, model },
    symbols: new Map(ctx.symbols),
    listing: code.listing,
    claims,
    ...(table ? { table } : {}),
    ...expected,
    ...(recorded.length ? { recorded } : {}),
    ...(hardware.length ? { hardware } : {}),
    budget,
    ...(warnings.length ? { warnings } : {}),
  };
}

/**
 * `model:` — the fetch configurations to judge under (one or a list; default the suite's
 * five), `stores: rvwmo | sc`, `atomicity: ziccif | parcel | line N`, `fence-i:
 * transitive | fetch-only`.
 */
export function buildModel(ctx: Context): ModelOptions {
  const e = new Map(ctx.entries('model').map((x) => [x.key, x]));
  let fetch: readonly FetchConfigName[] = SUITE_CONFIGS;
  const fetchAt = e.get('fetch');
  if (fetchAt) {
    const items: Located[] = isSeq(fetchAt.node) ? seqItems(fetchAt) : [fetchAt];
    const names = items.map((i) => scalarText(i) ?? '');
    const bad = names.findIndex((n) => !(FETCH_CONFIG_NAMES as readonly string[]).includes(n));
    if (bad >= 0) ctx.error(items[bad], `"${names[bad]}" is not a fetch configuration (${FETCH_CONFIG_NAMES.join(', ')})`);
    else fetch = [...new Set(names)] as FetchConfigName[];
  }
  const stores = (scalarText(e.get('stores')) ?? 'rvwmo') as ModelOptions['stores'];
  const fenceI = (scalarText(e.get('fence-i')) ?? 'transitive') as FenceIReading;
  return { fetch, stores, atomicity: buildAtomicity(ctx, e.get('atomicity')), fenceI };
}

export function buildAtomicity(ctx: Context, at: Located | undefined): Atomicity {
  const text = scalarText(at)?.trim() ?? 'ziccif';
  if (text === 'ziccif' || text === 'parcel') return { kind: text };
  const line = /^line\s+(\d+)$/.exec(text);
  const n = line ? Number(line[1]) : NaN;
  if (line && n >= 4 && n <= 4096 && (n & (n - 1)) === 0) return { kind: 'line', bytes: n };
  ctx.error(at!, `"${text}" is not a fetch atomicity`, 'write ziccif (aligned 4-byte pieces), parcel (2 bytes at a time) or "line N" (N a power of two from 4 to 4096)');
  return { kind: 'ziccif' };
}

/** `budget:` — states and seconds the search may take. */
export function buildBudget(ctx: Context): Scenario['budget'] {
  const e = new Map(ctx.entries('budget').map((x) => [x.key, x]));
  return {
    ...(e.has('states') ? { maxStates: ctx.integer(e.get('states'), 0) } : {}),
    ...(e.has('seconds') ? { maxSeconds: Number(scalarText(e.get('seconds'))) } : {}),
  };
}
