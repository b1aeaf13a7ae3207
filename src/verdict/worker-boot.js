// A judging worker thread's first module (verdict/pool.ts starts it). Plain JavaScript:
// the sources are TypeScript, run through tsx, and the hooks that let the main thread
// import them (src/cli/patchlit.js registers them; `node --import tsx` and vitest load
// them their own ways) do not reach a new thread. So this registers tsx here, as
// patchlit.js does, whoever started the process, then loads the worker's TypeScript.
// (A thread that inherited `--import tsx` gets a second registration, which is harmless.)
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serve } = await import('./worker.ts');
serve(parentPort);
