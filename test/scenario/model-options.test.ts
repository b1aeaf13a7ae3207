// Choosing the model: fetch configurations (one or a set) per scenario, or per notebook
// in its front matter; data memory; fetch atomicity. Bad choices are reported where written.

import { describe, expect, it } from 'vitest';
import { readNotebook } from '../../src/scenario/index.ts';
import { errors, PATCH_ONE_WORD, scenario } from '../helpers.ts';

const block = (yaml: string) => '```patchlit\n' + yaml.trim() + '\n```\n';

describe('model options', () => {
  it('a scenario that names no configuration is judged under the suite\'s five, on RVWMO, with Ziccif atomicity', () => {
    expect(scenario(PATCH_ONE_WORD).system.model).toEqual({ fetch: ['ziccif-only', 'ziccid', 'ir-decode-w', 'ir-decode', 'ir3-fetch'], stores: 'rvwmo', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' });
  });

  it('pins one configuration or a set, data memory and atomicity per scenario', () => {
    const s = scenario(PATCH_ONE_WORD.replace('name: one-word', 'name: one-word\nmodel: { fetch: [ziccid, coherent], stores: sc, atomicity: line 64 }'));
    expect(s.system.model).toEqual({ fetch: ['ziccid', 'coherent'], stores: 'sc', atomicity: { kind: 'line', bytes: 64 }, fenceI: 'transitive' });
    expect(scenario(PATCH_ONE_WORD.replace('name: one-word', 'name: one-word\nmodel: { fetch: ir3-fetch, atomicity: parcel }')).system.model).toMatchObject({ fetch: ['ir3-fetch'], atomicity: { kind: 'parcel' } });
  });

  it('pins them per notebook in its front matter; a scenario may still choose its own', () => {
    const text = `---
title: Two ways
patchlit:
  model: { fetch: ziccid, stores: sc }
---
# Notes

${block(PATCH_ONE_WORD)}
${block(PATCH_ONE_WORD.replace('name: one-word', 'name: own\nmodel: { fetch: [ziccif-only] }'))}
\`\`\`litmus
RISCV T
{ 0:a0=x; }
P0 ;
lw s0,0(a0) ;
exists (0:s0=0)
\`\`\`
`;
    const nb = readNotebook('nb.md', text);
    expect(nb.entries.map((e) => e.scenario.system.model)).toEqual([
      { fetch: ['ziccid'], stores: 'sc', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' },
      { fetch: ['ziccif-only'], stores: 'sc', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' },
      { fetch: ['ziccid'], stores: 'sc', atomicity: { kind: 'ziccif' }, fenceI: 'transitive' },
    ]);
  });

  it('reports a bad choice where it is written', () => {
    expect(errors(PATCH_ONE_WORD.replace('name: one-word', 'name: one-word\nmodel: { fetch: zicid }'))).toEqual([
      '3:17: model.fetch: "zicid" is not one of ziccif-only, ziccid, ir-decode-w, ir-decode, ir3-fetch, coherent (did you mean "ziccid"?)',
    ]);
    expect(errors(PATCH_ONE_WORD.replace('name: one-word', 'name: one-word\nmodel: { atomicity: line 6 }'))).toEqual([
      '3:21: "line 6" is not a fetch atomicity (write ziccif (aligned 4-byte pieces), parcel (2 bytes at a time) or "line N" (N a power of two from 4 to 4096))',
    ]);
    expect(errors(`---\npatchlit:\n  model: { stores: tso }\n---\n${block(PATCH_ONE_WORD)}`, 'nb.md')).toEqual(['3:20: patchlit.model.stores: "tso" is not one of rvwmo, sc (did you mean "sc"?)']);
  });
});
