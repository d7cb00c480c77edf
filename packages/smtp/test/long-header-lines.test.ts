import { describe, expect, it } from 'vitest';
import { cleanupEach, rawMessageSender } from './helpers.js';

const cleanup = cleanupEach();
const sender = () => rawMessageSender(cleanup);

/** The value of a field, unfolded. */
function unfolded(head: string, name: string): string {
  const line = new RegExp(`^${name}: (.*(?:\\r\\n[ \\t].*)*)\\r$`, 'm').exec(head)?.[1] ?? '';
  return line.replace(/\r\n(?=[ \t])/g, '');
}

/** The longest line of a header block, in bytes. */
function longestLine(head: string): number {
  return Math.max(...head.split('\r\n').map((line) => Buffer.byteLength(line)));
}

describe('long header fields from the client', () => {
  it('are folded at their spaces, no line past 78 characters, the value unchanged', async () => {
    const { post, head } = await sender();
    const subject = Array.from({ length: 2000 }, (_, i) => `word${i}`).join(' ');
    const to = Array.from({ length: 300 }, (_, i) => `someone${i}@example.com`).join(', ');
    expect(await post({ subject, to, 'x-note': `${'a '.repeat(100)}end` })).toBe('ok');
    expect(longestLine(head())).toBeLessThanOrEqual(78);
    expect(unfolded(head(), 'Subject')).toBe(subject);
    expect(unfolded(head(), 'To')).toBe(to);
    expect(unfolded(head(), 'X-Note')).toBe(`${'a '.repeat(100)}end`);
  });

  it('write a word longer than a line as encoded words in free text', async () => {
    const { post, head } = await sender();
    const word = 'x'.repeat(3000);
    expect(await post({ subject: `see ${word}` })).toBe('ok');
    expect(longestLine(head())).toBeLessThanOrEqual(998);
    const decoded = unfolded(head(), 'Subject')
      .replace(/\?=\s+=\?/g, '?==?')
      .replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, base64: string) =>
        Buffer.from(base64, 'base64').toString('utf8'),
      );
    expect(decoded).toBe(`see ${word}`);
  });

  it('refuse such a word in a structured field before sending anything', async () => {
    const { post } = await sender();
    await expect(post({ 'message-id': `<${'m'.repeat(2000)}@example.com>` })).rejects.toMatchObject({
      status: 'bad_request',
    });
  });
});
