// From a scenario's YAML (its own block, after the blocks it extends) to a Scenario:
// symbols resolved, code assembled, steps and claims read, every error collected.

import { buildClaims, buildTable } from './claims.ts';
import { buildCode } from './code.ts';
import { child, scalarText, type Context } from './context.ts';
import { buildFixups, buildPatcher, buildStubs } from './steps.ts';
import { resolveSymbols } from './symbols.ts';
import { ScenarioError, type FetchModelName, type ModelOptions, type Scenario } from './types.ts';

export function compileScenario(ctx: Context): Scenario {
  const own = ctx.layers[ctx.layers.length - 1];
  const name = scalarText(child(own, 'name')) ?? '';
  const description = scalarText(ctx.get('description'));
  const modelEntries = new Map(ctx.entries('model').map((e) => [e.key, scalarText(e)]));
  const model: ModelOptions = { fetch: (modelEntries.get('fetch') ?? 'window') as FetchModelName, stores: 'sc' };
  const budgetEntries = new Map(ctx.entries('budget').map((e) => [e.key, e]));
  const budget = {
    ...(budgetEntries.has('states') ? { maxStates: ctx.integer(budgetEntries.get('states'), 0) } : {}),
    ...(budgetEntries.has('seconds') ? { maxSeconds: Number(scalarText(budgetEntries.get('seconds'))) } : {}),
  };

  resolveSymbols(ctx);
  const code = buildCode(ctx);
  const regionAt = (addr: bigint) =>
    code.regions.find((r) => addr >= r.base && addr < r.base + BigInt(r.bytes.length))?.name;
  const inRegion = (addr: bigint, size: number) => {
    const r = code.regions.find((x) => addr >= x.base && addr + BigInt(size) <= x.base + BigInt(x.bytes.length));
    return r !== undefined;
  };
  const stubs = buildStubs(ctx, regionAt);
  const patcher = buildPatcher(ctx, code.harts, inRegion);
  const fixups = buildFixups(ctx);
  const claims = buildClaims(ctx, stubs);
  const table = buildTable(ctx, code.harts, stubs);
  if (ctx.diagnostics.length) throw new ScenarioError(ctx.diagnostics);

  return {
    name,
    ...(description ? { description } : {}),
    pos: own.src.of(own.node),
    system: { regions: code.regions, stubs, harts: code.harts, patchers: [patcher], fixups, model },
    symbols: new Map(ctx.symbols),
    listing: code.listing,
    claims,
    ...(table ? { table } : {}),
    budget,
  };
}
