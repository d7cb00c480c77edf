import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommand, type RequestCommand } from '../src/args.js';
import { CliError } from '../src/exit.js';
import { parseServeOptions } from '../src/serve/options.js';

const URL = 'http://127.0.0.1:8080/notes/a.txt';

function request(argv: string[]): RequestCommand {
  const command = parseCommand(argv);
  if (command.kind !== 'request') throw new Error(`not a request: ${command.kind}`);
  return command;
}

function usageError(run: () => unknown): CliError {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('option values that start with a dash (as curl takes them)', () => {
  it('are the values of -d, -o, -H, -u and their long forms', () => {
    expect(request(['-d', '-1', URL]).body).toEqual({ text: '-1' });
    expect(request(['--data', '--', URL]).body).toEqual({ text: '--' });
    expect(request(['-o', '-notes.txt', URL]).outputFile).toBe('-notes.txt');
    expect(request(['-H', '-x: y', URL, '-H', 'x-a: -b']).headers).toEqual({ '-x': 'y', 'x-a': '-b' });
    expect(request(['-u', '-me:-secret', URL]).target.transportUrl).toBe('http://-me:-secret@127.0.0.1:8080');
  });

  it('end a cluster of short options (-sd -1), and a value glued to its option stays', () => {
    const command = request(['-sd', '-1', URL]);
    expect(command.silent).toBe(true);
    expect(command.body).toEqual({ text: '-1' });
    expect(request(['-d-2', URL]).body).toEqual({ text: '-2' });
    expect(request([URL, '-o', '-']).outputFile).toBeUndefined();
    expect(request(['--', URL]).method).toBe('GET');
  });

  it('leave an option without a value a usage error on one line', () => {
    const error = usageError(() => parseCommand([URL, '-d']));
    expect(error.code).toBe(2);
    expect(error.message).not.toContain('\n');
  });

  it('reach parley serve too: a password may start with a dash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-dash-'));
    const options = parseServeOptions(['--write', '--user', 'me', '--password', '-Secret-9', dir], {});
    expect(options.login).toEqual({ user: 'me', password: '-Secret-9' });
  });
});

describe('--max-time 0 and below (as curl)', () => {
  it('0 is no limit', () => {
    expect(request(['-m', '0', URL]).maxTimeMs).toBeUndefined();
    expect(request(['--max-time', '0.5', URL]).maxTimeMs).toBe(500);
  });

  it('a negative or missing number is a usage error that says what is wanted', () => {
    for (const value of ['-1', '', 'abc', '1e309']) {
      const error = usageError(() => parseCommand(['-m', value, URL]));
      expect(error.code).toBe(2);
      expect(error.message).toBe(`--max-time takes a number of seconds (0: no limit), not "${value}"`);
    }
  });
});
