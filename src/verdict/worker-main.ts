// A judging worker thread's first module: verdict/pool.ts starts the thread on its
// compiled form (dist/verdict/worker-main.js), or, from the TypeScript sources, on
// worker-boot.js, which registers tsx in the new thread and then loads this.
import { parentPort } from 'node:worker_threads';
import { serve } from './worker.ts';

serve(parentPort!);
