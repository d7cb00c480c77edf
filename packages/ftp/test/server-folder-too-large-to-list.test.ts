import { type Handler, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';
import { openData } from './raw-ftp.js';

/** A folder that exists but holds more entries than its handler lists at once. */
const TOO_LARGE = 'big/ holds more than 100000 entries: too many to list at once';

const start = loggedInEach((store) => {
  store.directories.add('/big/');
});

const handler = (store: { handle: Handler }): Handler => {
  return async (request) => {
    if (request.method === 'LIST' && request.path === '/big/') return respond('too_large', TOO_LARGE);
    return store.handle(request);
  };
};

describe('a folder too large to list', () => {
  it('can still be entered: CWD answers 250, not "no directory"', async () => {
    const { ftp } = await start({ handler });
    const reply = await ftp.send('CWD big');
    expect(reply.code).toBe(250);
    expect((await ftp.send('PWD')).text).toBe('257 "/big" is the current directory');
  });

  it('LIST of it answers 552 with the handler reason, as does STAT', async () => {
    const { ftp } = await start({ handler });
    await ftp.expect('CWD big', 250);
    await openData(await ftp.epsv());
    const reply = await ftp.send('LIST');
    expect(reply.code).toBe(552);
    expect(reply.text).toContain('too many to list at once');
    const status = await ftp.send('STAT /big/');
    expect(status.code).toBe(552);
    expect(status.text).toContain('too many to list at once');
  });

  it('a missing folder is still 550', async () => {
    const { ftp } = await start({ handler });
    expect((await ftp.send('CWD nothing')).code).toBe(550);
  });
});
