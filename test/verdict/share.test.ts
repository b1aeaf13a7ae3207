// Configurations sharing a search (verdict/share.ts): which configurations may ride on
// which, and that a shared result is the result of the configuration's own search, both
// where its rules never changed a step (shared) and where they did (searched alone).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FETCH_CONFIG_NAMES, readNotebook, type FetchConfigName } from '../../src/scenario/index.ts';
import { judgeScenario, planScenario } from '../../src/verdict/index.ts';
import { shareSearches } from '../../src/verdict/share.ts';
import { differenceText, judgementDifferences } from '../model/same-judgement.ts';

describe('which configurations share a search', () => {
  it('the three that add only watchable rules ride on the base; Ziccid and coherence search alone', () => {
    const names: FetchConfigName[] = ['ziccif-only', 'ziccid', 'ir-decode-w', 'ir-decode', 'ir3-fetch', 'coherent'];
    expect(shareSearches(names)).toEqual([[0, 2, 3, 4], [1], [5]]);
  });

  it('without the base, the weakest of the rest leads; the order of the list is kept', () => {
    expect(shareSearches(['ir-decode', 'ir-decode-w'])).toEqual([[1, 0]]);
    expect(shareSearches(['ir3-fetch', 'ir-decode-w'])).toEqual([[0], [1]]);
    expect(shareSearches(['coherent', 'ziccid'])).toEqual([[0], [1]]);
  });

  it('a name that is no configuration, or one named twice, shares nothing', () => {
    expect(shareSearches(['ziccif-only', 'no-such' as FetchConfigName, 'ziccif-only'])).toEqual([[0], [1], [2]]);
  });

  it('the plain judgement (reduction off) searches every configuration alone', () => {
    const file = 'scenarios/seed/three-step.md';
    const s = readNotebook(file, readFileSync(file, 'utf8')).entries[0].scenario;
    expect(planScenario(s, { reduction: false }).units).toEqual(s.system.model.fetch.map((_, k) => [k]));
  });
});

describe('a shared result is the configuration\'s own', () => {
  const file = 'scenarios/model/fetch-configurations.md';
  const entries = readNotebook(file, readFileSync(file, 'utf8')).entries;
  const configs = FETCH_CONFIG_NAMES;

  it.each(entries.map((e) => [e.scenario.name, e.scenario] as const))('%s, under every configuration: the same judgement as searching each alone', (_, s) => {
    const shared = judgeScenario(s, { configs });
    const plain = judgeScenario(s, { configs, reduction: false });
    expect(judgementDifferences(shared, plain).map((d) => differenceText(d, ['shared', 'plain']))).toEqual([]);
    expect(plain.configs.every((c) => c.searchedAs === undefined)).toBe(true);
  });

  it('where a rule changes a step, its configuration is searched alone; where none does, it shares', () => {
    const sharing = (name: string) => {
      const s = entries.find((e) => e.scenario.name === name)!.scenario;
      return Object.fromEntries(judgeScenario(s, { configs }).configs.map((c) => [c.model.fetch, c.searchedAs ?? null]));
    };
    // A fetch, then a load: ir-decode orders them, and the load can no longer read the old value.
    // No FENCE.I: ir3f has nothing to order.
    expect(sharing('fetch-then-load-ir-decode')).toMatchObject({ 'ir-decode': null, 'ir3-fetch': 'ziccif-only' });
    // A FENCE.I after a fetch: ir3f orders the next fetch after it.
    expect(sharing('refetch-ir3-fetch')).toMatchObject({ 'ir3-fetch': null });
    expect(sharing('fetch-then-store-ir-decode-w')).toMatchObject({ 'ir-decode-w': null, 'ir-decode': null });
  });
});
