// The files HTML reports load from their assets directory ship under report/assets/, next
// to this module in the sources and, copied by the build (scripts/build.ts), in dist/.
import { fileURLToPath } from 'node:url';

/** The path of a shipped asset file, by its name. */
export function assetFile(name: string): string {
  return fileURLToPath(new URL(`./assets/${name}`, import.meta.url));
}
