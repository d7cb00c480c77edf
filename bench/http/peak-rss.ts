import { readFileSync } from 'node:fs';

/** This process's peak resident set size so far, in MB (VmHWM from /proc, else maxRSS). */
export function peakRssMb(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** `bytes` bytes as 64 KiB chunks of one reused buffer: generating the data costs no memory. */
export async function* generated(bytes: number, chunkSize = 64 * 1024): AsyncGenerator<Uint8Array> {
  const chunk = Buffer.alloc(chunkSize, 0x61);
  let left = bytes;
  while (left > 0) {
    const size = Math.min(chunkSize, left);
    yield size === chunkSize ? chunk : chunk.subarray(0, size);
    left -= size;
  }
}
