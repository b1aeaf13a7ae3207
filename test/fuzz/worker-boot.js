// The fuzzer's worker thread's first module (readers.test.ts starts it). Plain JavaScript,
// as src/verdict/worker-boot.js is and for the same reason: the hooks that let the test
// import TypeScript do not reach a new thread, so this registers tsx, then loads the worker.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { serve } = await import('./check-worker.ts');
serve(parentPort);
