// `patchlit check FILE|DIR...`: read and compile every scenario (YAML, assembly,
// symbols, claims, the safe-harbour lint, the files they import) without exploring any,
// and every library on its own; for editors, pre-commit hooks and a CI step that should
// fail fast.

import { collectFiles, compileNotebooks, fileErrorText, noFilesText } from './files.ts';
import { warningText } from '../report/describe.ts';
import { splitLine } from './select.ts';
import { parseOptions, UsageError } from './usage.ts';

export const CHECK_USAGE = `usage: patchlit check [options] FILE|DIR...

Validates scenarios as run would read them, without exploring: prints every error as
file:line:col with the line and a caret, and the safe-harbour warnings.

options:
  -q, --quiet          no line when everything is valid
  -h, --help           this text

exit status: 0 valid (warnings allowed), 2 an error or no scenario file, 3 an
internal error`;

export function checkCommand(argv: readonly string[], out = process.stdout, err = process.stderr): number {
  const { values, positionals } = parseOptions({ args: [...argv], allowPositionals: true, options: { quiet: { type: 'boolean', short: 'q' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    out.write(CHECK_USAGE + '\n');
    return 0;
  }
  if (!positionals.length) throw new UsageError('name at least one scenario file or directory');
  let files: string[];
  try {
    files = collectFiles(positionals.map((p) => splitLine(p).path));
  } catch (e) {
    err.write(`patchlit: ${fileErrorText(e)}\n`);
    return 2;
  }
  if (!files.length) {
    // A directory with nothing to check is a wrong path, not a valid suite.
    err.write(noFilesText(positionals) + '\n');
    return 2;
  }
  const compiled = compileNotebooks(files, err);
  if (!compiled) return 2;
  const warnings = new Set(compiled.flatMap((c) => c.value.entries.flatMap((e) => (e.scenario.warnings ?? []).map((w) => `${w.pos.file}:${w.pos.line}:${w.pos.col}: warning: ${warningText(w)}`))));
  for (const w of warnings) err.write(w + '\n');
  const scenarios = compiled.reduce((n, c) => n + c.value.entries.length, 0);
  const libraries = compiled.filter((c) => c.value.kind === 'library').length;
  const counted = `${compiled.length} file${compiled.length === 1 ? '' : 's'}${libraries ? ` (${libraries} ${libraries === 1 ? 'library' : 'libraries'})` : ''}`;
  if (!values.quiet) out.write(`${scenarios} scenario${scenarios === 1 ? '' : 's'} in ${counted}: valid\n`);
  return 0;
}
