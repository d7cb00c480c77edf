import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requirePeer } from '../../../test/support/peer.js';
import { BUILD_TIMEOUT_MS, buildParley, PARLEY_SHELL, plainHttpServer, shell } from './support.js';

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
beforeAll(buildParley, BUILD_TIMEOUT_MS);

const hasScript = requirePeer('script');

/** 3 MiB in 32 pieces, one every 100 ms: a transfer of about 3 s, slow enough to be metered. */
const PIECE = Buffer.alloc(96 * 1024, 'p');
const PIECES = 32;
/** The terminal's erase-to-the-end-of-the-line sequence. */
const ERASE_LINE = '\u001b[K';
const SIZE = PIECE.byteLength * PIECES;

describe.runIf(hasScript)('the progress meter of parley -o', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-meter-'));
  const out = join(dir, 'out.bin');
  let base: string;
  let stop: () => void;

  beforeAll(async () => {
    ({ base, stop } = await plainHttpServer((req, res) => {
      // /sized announces its length (the meter shows percentage and ETA); /unsized does not.
      res.writeHead(200, req.url === '/sized' ? { 'content-length': String(SIZE) } : {});
      let sent = 0;
      const timer = setInterval(() => {
        res.write(PIECE);
        if (++sent === PIECES) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
      res.once('close', () => clearInterval(timer));
    }));
  });
  afterAll(() => {
    stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the command line under a pseudo-terminal (util-linux script): what the terminal showed. */
  const onTerminal = (args: string) => shell(`script -qfec "${PARLEY_SHELL} ${args}" /dev/null`);

  /** The meter's drawings: each starts with a carriage return and ends erasing the rest of the line. */
  const drawings = (terminal: string) =>
    terminal
      .split('\r')
      .filter((line) => line.includes('/s'))
      .map((line) => {
        expect(line).toContain(ERASE_LINE);
        return line.slice(0, line.indexOf(ERASE_LINE));
      });

  it('draws bytes, rate, percentage and ETA on a terminal when the size is known', async () => {
    const run = await onTerminal(`-o ${out} ${base}/sized`);
    expect(run.code).toBe(0);
    expect(readFileSync(out).byteLength).toBe(SIZE);
    // Redrawn in place, ending on the whole transfer.
    const draws = drawings(run.stdout);
    expect(draws.length).toBeGreaterThan(1);
    expect(draws[0]).toMatch(
      /^ *[\d.]+ (B|KiB|MiB) +[\d.]+ (B|KiB|MiB)\/s +\d+% of 3\.0 MiB {2}ETA (\d+:\d\d|--:--)$/,
    );
    expect(draws.at(-1)).toMatch(/^ +3\.0 MiB +[\d.]+ (KiB|MiB)\/s +100% of 3\.0 MiB {2}ETA 0:00$/);
  });

  it('draws bytes and rate, without ETA, when the size is unknown', async () => {
    const run = await onTerminal(`-o ${out} ${base}/unsized`);
    expect(run.code).toBe(0);
    const draws = drawings(run.stdout);
    expect(draws.length).toBeGreaterThan(1);
    expect(draws.at(-1)).toMatch(/^ +3\.0 MiB +[\d.]+ (KiB|MiB)\/s$/);
    expect(run.stdout).not.toContain('ETA');
  });

  it('draws nothing with -s, nor when stderr is not a terminal', async () => {
    const silent = await onTerminal(`-s -o ${out} ${base}/sized`);
    expect(silent.code).toBe(0);
    expect(silent.stdout).not.toMatch(/\/s|ETA/);
    const piped = await shell(`${PARLEY_SHELL} -o ${out} ${base}/sized 2>&1 | cat`);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe('');
    expect(readFileSync(out).byteLength).toBe(SIZE);
  });
});
