// What one input may ask of patchlit. Each limit is checked where the input is read, so
// that a mistake or a hostile file gets a diagnostic naming the limit, never a stack
// overflow, a hang or gigabytes of memory. README.md ("Limits") lists them for users.

import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

export const LIMITS = {
  /** Bytes of one input file: a notebook, a YAML file, a litmus test, a file it imports. */
  fileBytes: 1024 * 1024,
  /** Levels of nesting: YAML collections inside each other; parentheses and `~` in a herd condition. */
  nesting: 64,
  /** YAML nodes that aliases (`*name`) copy in one block: a billion laughs stops here. */
  aliasNodes: 10_000,
  /** A remote hart's `times:`. */
  times: 1000,
  /** The calls a remote hart's driver makes: its `calls:`, `times:` times. */
  driverCalls: 10_000,
} as const;

/** "1 MiB", for messages. */
export function bytesText(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

/** A file that is there but is not one patchlit reads: a FIFO, a device, a directory, a file over the size limit. */
export class InputFileError extends Error {
  constructor(
    readonly path: string,
    readonly code: 'ENOTREG' | 'EISDIR' | 'EFBIG',
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * The text of an input file. Only a regular file (after following links) is read: a FIFO
 * or a character device (`/dev/zero` behind a link named `x.md`) would block or never end.
 * It is opened without blocking and checked again once open, so a file swapped meanwhile
 * is caught too, and no more than the size limit is ever read.
 */
export function readInputFile(path: string): string {
  const notRegular = (isDirectory: boolean) =>
    isDirectory ? new InputFileError(path, 'EISDIR', 'it is a directory') : new InputFileError(path, 'ENOTREG', 'not a regular file');
  const before = statSync(path);
  if (!before.isFile()) throw notRegular(before.isDirectory());
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular(st.isDirectory());
    const tooLarge = () => new InputFileError(path, 'EFBIG', `larger than ${bytesText(LIMITS.fileBytes)}, the limit on an input file`);
    if (st.size > LIMITS.fileBytes) throw tooLarge();
    // Read to the end, not to the size fstat gave: a file that grew since is caught at the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(st.size, 4096), LIMITS.fileBytes + 1 - total));
      const got = readSync(fd, chunk, 0, chunk.length, null);
      if (got === 0) break;
      chunks.push(chunk.subarray(0, got));
      total += got;
      if (total > LIMITS.fileBytes) throw tooLarge();
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
