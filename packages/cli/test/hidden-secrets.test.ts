import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { commandLineWithoutSecrets } from '../src/hidden-secrets.js';
import { BUILD_TIMEOUT_MS, buildParley, PARLEY, plainHttpServer } from './support.js';

vi.setConfig({ testTimeout: 60_000 });

describe('the command line as ps shows it', () => {
  it('has the passwords of -u, --password and URLs written ****, in every form', () => {
    expect(
      commandLineWithoutSecrets([
        '-u',
        'alice:s3cret',
        '-ubob:pw2',
        '--user=carol:pw3',
        '--user',
        'dave',
        'ftp://erin:pw4@127.0.0.1:2121/a',
        'serve',
        '--password',
        'pw5',
        '--password=pw6',
        '-d',
        'text',
      ]),
    ).toBe(
      'parley -u alice:**** -ubob:**** --user=carol:**** --user dave ftp://erin:****@127.0.0.1:2121/a serve --password **** --password=**** -d text',
    );
  });
});

describe.runIf(process.platform === 'linux')('a running parley, seen in /proc/PID/cmdline', () => {
  let base: string;
  let stop: () => void;
  /** Answered once the command line was read: the command waits for its answer meanwhile. */
  const waiting: (() => void)[] = [];
  beforeAll(async () => {
    buildParley();
    ({ base, stop } = await plainHttpServer((_, res) => waiting.push(() => res.end('done'))));
  }, BUILD_TIMEOUT_MS);
  afterAll(() => stop());

  it('shows neither the password of -u nor that of the URL', async () => {
    const child = spawn(process.execPath, [
      ...PARLEY,
      '-s',
      '-u',
      'alice:s3cret',
      `${base.replace('//', '//bob:pw2@')}/a.txt`,
    ]);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      // The title is set as the command starts; its request is held until it is read here.
      while (waiting.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const shown = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
      expect(shown).toContain('alice:****');
      expect(shown).toContain('bob:****@');
      expect(shown).not.toContain('s3cret');
      expect(shown).not.toContain('pw2');
    } finally {
      for (const answer of waiting.splice(0)) answer();
      expect(await exited).toBe(0);
    }
  });
});
