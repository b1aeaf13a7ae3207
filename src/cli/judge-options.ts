// The options `run` and `litmus` share: which fetch configurations judge, and how many
// threads. Apart from run.ts so that `litmus` loads no report renderer it does not use.

import { FETCH_CONFIG_NAMES, type FetchConfigName } from '../scenario/index.ts';
import { defaultJobs } from '../verdict/index.ts';
import { UsageError } from './usage.ts';

/** `--model a,b`: fetch configuration names, checked. */
export function modelList(text: string | undefined): FetchConfigName[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  const bad = names.find((n) => !(FETCH_CONFIG_NAMES as readonly string[]).includes(n));
  if (bad !== undefined || !names.length) throw new UsageError(`--model takes fetch configurations (${FETCH_CONFIG_NAMES.join(', ')}), not "${bad ?? text}"`);
  return [...new Set(names)] as FetchConfigName[];
}

/** `--jobs N`: a positive integer; absent, one per core. */
export function jobsOption(text: string | undefined): number {
  if (text === undefined) return defaultJobs();
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--jobs takes a positive whole number of threads, not "${text}"`);
  return n;
}
