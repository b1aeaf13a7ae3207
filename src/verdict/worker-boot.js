// A judging worker thread's first module when patchlit runs from its TypeScript sources
// (verdict/pool.ts starts it then; compiled, it starts worker-main.js directly). Plain
// JavaScript: the hooks that let the main thread import TypeScript (src/cli/patchlit.js
// registers tsx; `node --import tsx` and vitest load them their own ways) do not reach a
// new thread. So this registers tsx here, whoever started the process, then loads the
// worker's TypeScript. (A thread that inherited `--import tsx` gets a second registration,
// which is harmless.)
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
