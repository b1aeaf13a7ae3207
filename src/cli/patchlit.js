#!/usr/bin/env node
// The patchlit command from the TypeScript sources, for working on patchlit itself
// (`node src/cli/patchlit.js run ...`, no build step): tsx compiles them as they load.
// The installed command is the compiled dist/cli/bin.js (package.json "bin"), which needs
// neither tsx nor a compilation at start.
import { register } from 'tsx/esm/api';

register();
await import('./bin.ts');
