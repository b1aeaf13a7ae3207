// A run drawn as a Mermaid sequence diagram: the patching harts, memory and the remote
// harts as participants, one message or note per step. Step numbers are the ones of the
// run's table (its `#` column), so a reader can go from one to the other.

import type { MachineEvent } from '../machine/types.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Run } from '../verdict/types.ts';
import { actorOf, type Names, stepText } from './describe.ts';

const MEMORY = 'memory';
/** Memory's key among the participants, which are keyed by name: no hart can be named so. */
const MEMORY_KEY = '\u0000memory';

/** Words Mermaid's sequence lexer reads as keywords: a participant id must not be one. */
const KEYWORDS = new Set(
  'participant actor as box create destroy loop rect opt alt else par par_over and critical option break end left right of over note links link properties details activate deactivate title accTitle accDescr sequenceDiagram autonumber off'
    .toLowerCase()
    .split(' '),
);

/**
 * Mermaid's entity codes for what its lexer would take as syntax: `;` ends a statement,
 * `#` starts an entity or comment, `<` and `>` would be read as HTML, and `:` separates
 * a message's participants from its text. Mermaid decodes the codes when it draws.
 */
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '#amp;',
  '#': '#35;',
  ';': '#59;',
  ':': '#58;',
  '<': '#lt;',
  '>': '#gt;',
  '%': '#37;',
  '\n': ' ',
};

export function mermaidText(s: string): string {
  return s.replace(/[&#;:<>%\n]/g, (c) => ENTITIES[c]);
}

/**
 * The longest line of a message or note, in characters. Mermaid spaces the participants
 * so that the widest text between two of them fits, and never wraps on its own: one long
 * line ("takes the IPI (sepc func); loads the request; fence.i; acknowledges") pushes the
 * harts apart until the diagram is twice the page's width, and a forge scales it down
 * to unreadable text. Lines this long keep four participants within about 1,150 pixels
 * (the seed notebook's widest diagram was 2,064 before they were broken).
 */
export const LINE_CHARS = 28;

/**
 * Where a line may break, the preferred first: between the clauses of a step ("; "),
 * after a label ("func+0x4: jalr ..."), between words, though never between an address
 * and its symbol ("ffffffff8001f848 <func+0x8>").
 */
const BREAKS = [/(?<=;) /, /(?<=:) /, / (?!<)/];

/**
 * Text broken into lines of at most `max` characters, each break where a space was, at
 * the most preferred place that makes the pieces fit; a piece with no place left to
 * break (a long address) stays whole.
 */
export function breakLines(text: string, max = LINE_CHARS, level = 0): string[] {
  if (text.length <= max || level === BREAKS.length) return [text];
  const lines: string[] = [];
  let line = '';
  for (const part of text.split(BREAKS[level])) {
    if (line && line.length + 1 + part.length <= max) {
      line += ` ${part}`;
      continue;
    }
    if (line) lines.push(line);
    const broken = breakLines(part, max, level + 1);
    lines.push(...broken.slice(0, -1));
    line = broken[broken.length - 1];
  }
  lines.push(line);
  return lines;
}

/** A message's or note's text: broken into lines (Mermaid's `<br/>`), each escaped. */
function label(text: string): string {
  return breakLines(text).map(mermaidText).join('<br/>');
}

interface Participant {
  readonly key: string;
  readonly id: string;
  readonly name: string;
}

/**
 * The participants in the order drawn: patching harts, memory, remote harts (memory in
 * the middle keeps every store and load arrow short). A name that is a plain identifier
 * is its own id, so the diagram's source reads like the table; any other gets an alias.
 */
function participants(s: Scenario): Participant[] {
  const keys = [...s.system.patchers.map((p) => p.name), MEMORY_KEY, ...s.system.harts.map((h) => h.name)];
  const seen = new Set<string>();
  return keys.map((key, i) => {
    const name = key === MEMORY_KEY ? MEMORY : key;
    const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name.toLowerCase()) && !seen.has(name);
    const id = plain ? name : `actor${i}`;
    seen.add(id);
    return { key, id, name };
  });
}

type Drawn =
  | { readonly kind: 'message'; readonly from: string; readonly to: string; readonly reply: boolean }
  | { readonly kind: 'note'; readonly over: string };

/**
 * How a step is drawn: a store is a message to memory, an IPI (or stop_machine's, or the
 * SBI call's interrupt) a message to the target drawn farthest (the text names them all),
 * an acknowledgement a reply to its sender, a load a reply from memory; anything else
 * (an instruction, a fence, a FENCE.I, a lock) a note over the hart that made it.
 */
function drawStep(events: readonly MachineEvent[], who: string, order: readonly string[], names: Names): Drawn {
  if (events.some((e) => e.kind === 'store')) return { kind: 'message', from: who, to: MEMORY_KEY, reply: false };
  const sent = events.find((e): e is Extract<MachineEvent, { kind: 'ipi-sent' }> => e.kind === 'ipi-sent');
  if (sent && sent.targets.length) {
    const targets = sent.targets.map((i) => names.hart(i));
    const farthest = targets.reduce((a, b) => (Math.abs(order.indexOf(b) - order.indexOf(who)) > Math.abs(order.indexOf(a) - order.indexOf(who)) ? b : a));
    return { kind: 'message', from: who, to: farthest, reply: false };
  }
  const ack = events.find((e): e is Extract<MachineEvent, { kind: 'ack' }> => e.kind === 'ack');
  if (ack) {
    const H = names.scenario.system.harts.length;
    return { kind: 'message', from: who, to: ack.ipi.sender < H ? names.hart(ack.ipi.sender) : names.patcher(ack.ipi.sender - H), reply: true };
  }
  if (events.some((e) => e.kind === 'load')) return { kind: 'message', from: MEMORY_KEY, to: who, reply: true };
  return { kind: 'note', over: who };
}

/** The lines of a fenced ```mermaid block drawing the run; a lasso's loop is a `loop` box. */
export function mermaidSequence(run: Run, scenario: Scenario, names: Names): string[] {
  const parts = participants(scenario);
  const idOf = new Map(parts.map((p) => [p.key, p.id]));
  const order = parts.map((p) => p.key);
  const out = ['```mermaid', 'sequenceDiagram', ...parts.map((p) => (p.id === p.name ? `  participant ${p.id}` : `  participant ${p.id} as ${mermaidText(p.name)}`)), '  autonumber'];
  // Autonumber counts messages only: after a note the count is set again, so that every
  // message shows its step's number (notes carry theirs in their text).
  let next = 1;
  run.steps.forEach((step, i) => {
    const n = i + 1;
    if (run.loopFrom === i) out.push(`  loop ${mermaidText(`steps ${n} to ${run.steps.length} repeat forever`)}`);
    const indent = run.loopFrom !== undefined && i >= run.loopFrom ? '    ' : '  ';
    const who = actorOf(step.transition, names);
    const text = stepText(step, names) || step.transition.kind;
    const drawn = drawStep(step.events, who, order, names);
    if (drawn.kind === 'note') {
      out.push(`${indent}Note over ${idOf.get(drawn.over) ?? drawn.over}: ${label(`${n}. ${text}`)}`);
      return;
    }
    if (next !== n) out.push(`${indent}autonumber ${n}`);
    out.push(`${indent}${idOf.get(drawn.from) ?? drawn.from}${drawn.reply ? '-->>' : '->>'}${idOf.get(drawn.to) ?? drawn.to}: ${label(text)}`);
    next = n + 1;
  });
  if (run.loopFrom !== undefined) out.push('  end');
  out.push('```');
  return out;
}
