import { type Handler, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { loggedInEach } from './logged-in.js';

/**
 * A handler's refusal naming a file as it lies on disk: an escape sequence setting the title of
 * the terminal that shows the reply (lftp, ftp print reply texts), a bell, a NUL, a tab, a C1 control.
 */
const NAME = 'evil\x1b]0;owned\x07\x00\t\x9bname';

const refusing: Handler = async (request) =>
  respond('conflict', `${NAME} already holds ${request.path}: \r\n226 not a reply`);

const start = loggedInEach();

describe('reply texts carry no control characters', () => {
  it('a refusal quoting a hostile name reaches the client as one printable line', async () => {
    const { ftp } = await start({ handler: () => refusing });
    const reply = await ftp.send('DELE a.txt');
    expect(reply.code).toBe(553);
    expect(reply.lines).toHaveLength(1);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
    expect(reply.text).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(reply.text).toContain('evil?]0;owned????name already holds /a.txt:');
    await ftp.expect('NOOP', 200);
  });
});
