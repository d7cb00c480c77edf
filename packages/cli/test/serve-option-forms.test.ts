import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseServeOptions } from '../src/serve/options.js';

const root = mkdtempSync(join(tmpdir(), 'parley-serve-options-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** What parsing gives: the options, or the exit code and message it refused them with. */
function parsed(argv: string[], env: Record<string, string> = {}) {
  try {
    return parseServeOptions([root, ...argv], env);
  } catch (error) {
    const { code, message } = error as { code: number; message: string };
    return { code, message };
  }
}

describe('parley serve: ports from the environment', () => {
  it.each(['abc', '-1', '70000', ' 8080', '8080x', '1e3', '0x50'])(
    'refuses PARLEY_HTTP_PORT=%j naming the variable, not the option',
    (value) => {
      expect(parsed([], { PARLEY_HTTP_PORT: value })).toEqual({
        code: 2,
        message: `PARLEY_HTTP_PORT takes a port (0 to 65535) or off, not "${value}"`,
      });
    },
  );

  it('names the option when the option gave the value', () => {
    expect(parsed(['--ftp-port', 'abc'], { PARLEY_FTP_PORT: '2121' })).toMatchObject({
      message: '--ftp-port takes a port (0 to 65535) or off, not "abc"',
    });
  });

  it('takes 0 (a free port) and an empty value as unset, never as port 0', () => {
    expect(parsed([], { PARLEY_HTTP_PORT: '0', PARLEY_FTP_PORT: '' })).toMatchObject({
      ports: { http: 0, ftp: 2121 },
    });
  });
});

describe('parley serve: a login some protocol cannot carry', () => {
  it.each([
    [{ PARLEY_USER: 'a:b', PARLEY_PASSWORD: 'pw' }, /user name may not contain a colon/],
    [{ PARLEY_USER: 'alice', PARLEY_PASSWORD: 'p\r\nw' }, /password may not contain control characters/],
  ])('is refused with exit 2 and a one-line message (%j)', (env, message) => {
    const result = parsed(['--write'], env);
    expect(result).toMatchObject({ code: 2, message: expect.stringMatching(message) });
    expect((result as { message: string }).message).not.toContain('\n');
  });

  it('takes a password with a colon', () => {
    expect(parsed(['--write', '-u', 'a@b', '--password', 'p:w'])).toMatchObject({
      login: { user: 'a@b', password: 'p:w' },
    });
  });
});
