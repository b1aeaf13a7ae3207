// Plain-text layout for readers of mail and terminals: printable ASCII only (mail
// clients mangle the rest), text filled into lines of at most a width, with hanging
// indents, and a last guard that no line passes the width.

export const DEFAULT_WIDTH = 72;
/** Below this, hanging indents leave too little room for words. */
export const MIN_WIDTH = 32;

/** How much the text report says: `brief` fits a mail; `full` leaves nothing out. */
export const DETAILS = ['brief', 'full'] as const;
export type Detail = (typeof DETAILS)[number];

/** Characters authors and our own words commonly use, spelled the way plain-text mail spells them. */
const ASCII_FOR: Readonly<Record<string, string>> = {
  '\u00d7': 'x',
  '\u2014': '--',
  '\u2013': '-',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2212': '-',
  '\u00b1': '+/-',
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2033': "''",
  '\u2026': '...',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2194': '<->',
  '\u21d2': '=>',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2248': '~=',
  '\u00b7': '.',
  '\u2022': 'o',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
  '\u00b5': 'u',
  '\u03bc': 'u',
  '\u2227': '/\\',
  '\u2228': '\\/',
  '\u00ac': '~',
  '\u27f3': '(loop)',
  '\u00ab': '<<',
  '\u00bb': '>>',
  '\u00a9': '(c)',
  '\u00b0': ' deg',
};

/** Text transliterated to printable ASCII: accents dropped, known symbols spelled out, anything else `?`. */
export function ascii(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code === 0x0a || (code >= 0x20 && code < 0x7f)) out += ch;
    else if (code === 0x09) out += ' ';
    else if (code < 0x80) continue; // other control characters carry nothing a reader needs
    else if (ASCII_FOR[ch] !== undefined) out += ASCII_FOR[ch];
    else {
      const bare = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += /^[\x20-\x7e]+$/.test(bare) ? bare : '?';
    }
  }
  return out;
}

export const spaces = (n: number) => ' '.repeat(Math.max(0, n));

/**
 * Text filled into lines of at most `width` columns, the first starting with `first`,
 * the others with `rest` (a hanging indent). Whitespace runs become one space; a word
 * longer than a whole line is broken where the line ends; words joined by a no-break
 * space stay on one line.
 */
export function wrap(text: string, width: number, first = '', rest = spaces(first.length)): string[] {
  // A no-break space holds its words together ("run A"), and is then a space like any other.
  const words = text.split(/[^\S\u00a0]+/).filter(Boolean).map(ascii);
  const lines: string[] = [];
  let prefix = first;
  let line = '';
  const flush = () => {
    lines.push((prefix + line).trimEnd());
    prefix = rest;
    line = '';
  };
  for (let word of words) {
    for (;;) {
      const room = Math.max(1, width - prefix.length);
      if ((line ? line.length + 1 : 0) + word.length <= room) {
        line = line ? `${line} ${word}` : word;
        break;
      }
      if (line) {
        flush();
        continue;
      }
      line = word.slice(0, room);
      word = word.slice(room);
      flush();
      if (!word) break;
    }
  }
  if (line || !lines.length) lines.push((prefix + line).trimEnd());
  return lines;
}

/** The last guard: every line ASCII, without trailing blanks, and within the width (hard-broken if something above got it wrong). */
export function fit(lines: readonly string[], width: number): string[] {
  return lines.flatMap((raw) => {
    const line = ascii(raw).trimEnd();
    if (line.length <= width) return [line];
    const out: string[] = [];
    for (let i = 0; i < line.length; i += width) out.push(line.slice(i, i + width).trimEnd());
    return out;
  });
}
