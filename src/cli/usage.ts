// Mistakes on the command line: each command reports one as a UsageError, which main
// prints with a pointer to the command's --help and exit status 2.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closestName } from '../isa/suggest.ts';

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** How parseArgs tells a value that looks like an option (so it refuses it as one): a dash and more. */
const optionLike = (value: string) => value.length > 1 && value.startsWith('-');

/**
 * What is wrong with the options on a command line, in a user's words: an unknown one
 * with the known one it is closest to ("unknown option --formt; did you mean --format?"),
 * a value missing or given to a flag. Node's own parseArgs text talks of positional
 * arguments and `--`, which a typo never needs.
 */
function optionProblem(args: readonly string[], options: Options): string | undefined {
  const { tokens } = parseArgs({ args: [...args], options, allowPositionals: true, strict: false, tokens: true });
  const long = Object.keys(options);
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const option = options[t.name];
    if (!option) {
      const near = t.rawName.startsWith('--') ? closestName(t.name, long) : undefined;
      return `unknown option ${t.rawName}${near ? `; did you mean --${near}?` : ''}`;
    }
    const named = `--${t.name}`;
    if (option.type === 'boolean' && t.value !== undefined) return `option ${named} takes no value, not "${t.value}"`;
    if (option.type === 'string' && t.value === undefined) return `option ${named} needs a value`;
    if (option.type === 'string' && !t.inlineValue && optionLike(t.value!)) return `option ${named} needs a value, not the option ${t.value} (${named}=${t.value} if that is the value)`;
  }
  return undefined;
}

/** node:util's parseArgs, its mistakes reported as UsageErrors a user can act on. */
export function parseOptions<T extends ParseArgsConfig & { options: Options }>(config: T): ReturnType<typeof parseArgs<T>> {
  const problem = optionProblem(config.args ?? [], config.options);
  if (problem) throw new UsageError(problem);
  try {
    return parseArgs(config);
  } catch (e) {
    // Whatever else it refuses is still the command line's mistake, not patchlit's.
    if (!(e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw e;
    throw new UsageError((e as Error).message.split('. ')[0]);
  }
}
