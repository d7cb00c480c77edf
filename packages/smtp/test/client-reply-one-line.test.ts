import { describe, expect, it } from 'vitest';
import { oneLine } from '../src/client/reply.js';
import { callInChild } from './in-child.js';

const REPLY = new URL('../src/client/reply.ts', import.meta.url);

describe("the SMTP client's one-line form of a server reply (the smtp-reply header)", () => {
  it('joins the lines of a multi-line reply with one space, keeping the spaces within a line', () => {
    expect(oneLine('250-first  part \r\n  250-second\r\n\r\n250 last\r\n')).toBe(
      '250-first  part 250-second 250 last',
    );
    expect(oneLine(' \r\n ')).toBe('');
  });

  // /\s*\r?\n\s*/g tries each blank of a run to its end: a hostile server's reply of 300 000
  // blanks (within the 1 MB a reply may have) was minutes of the client's time. The call runs
  // in a child process, killed if it goes on.
  it('takes time in proportion to a reply of many blanks', async () => {
    const reply = `250 ${' '.repeat(300_000)}ok`;
    expect(await callInChild(REPLY, 'oneLine', [reply])).toBe(reply);
  });
});
