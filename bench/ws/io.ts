import { readFileSync } from 'node:fs';

/** Write system calls and the bytes they wrote, so far, of one process (from /proc/<pid>/io). */
export interface Writes {
  /** Write system calls (`syscw`). */
  readonly calls: number;
  /** Bytes written (`wchar`), sockets included. */
  readonly bytes: number;
}

/** The writes of process `pid` (`self` for this one) so far; NaN figures when unreadable. */
export function writesOf(pid: number | 'self' | undefined): Writes {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1]);
    return { calls: field('syscw'), bytes: field('wchar') };
  } catch {
    return { calls: Number.NaN, bytes: Number.NaN };
  }
}
