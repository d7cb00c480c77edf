import { describe, expect, it } from 'vitest';
import { cleanupEach, rawMessageSender } from './helpers.js';

const cleanup = cleanupEach();

/** Sends one message with these header fields and returns its header block as it arrived, unfolded. */
async function headerBlockSent(headers: Record<string, string>): Promise<string> {
  const { post, head } = await rawMessageSender(cleanup);
  expect(await post(headers)).toBe('ok');
  return head().replace(/\r\n(?=[ \t])/g, '');
}

/** The value of a field in an unfolded header block. */
function field(block: string, name: string): string {
  return new RegExp(`^${name}: (.*)\\r$`, 'm').exec(block)?.[1] ?? '';
}

/** RFC 2047 `B` words decoded (the encoding Parley writes). */
function decoded(text: string): string {
  return text
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, base64: string) =>
      Buffer.from(base64, 'base64').toString('utf8'),
    );
}

describe('address fields with names beyond ASCII', () => {
  it('keeps the address outside the encoded words, where receivers look for it', async () => {
    const block = await headerBlockSent({
      from: 'Jörg Müller <joerg@b.example>',
      cc: '"Doe, Ä" <inbox@e.example>, inbox@y.example',
      'reply-to': 'Zoë <zoe@c.example>',
    });
    const from = field(block, 'From');
    expect(from).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <joerg@b\.example>$/);
    expect(decoded(from)).toBe('Jörg Müller <joerg@b.example>');
    const cc = field(block, 'Cc');
    expect(cc).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <inbox@e\.example>, inbox@y\.example$/);
    expect(decoded(cc)).toBe('Doe, Ä <inbox@e.example>, inbox@y.example');
    expect(field(block, 'Reply-To')).toMatch(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <zoe@c\.example>$/);
  });

  it('writes groups and quoted ASCII names beside a name beyond ASCII', async () => {
    const block = await headerBlockSent({ to: 'Team Ö: "Doe, J." <j@a.example>, Å <a@a.example>;' });
    const to = field(block, 'To');
    expect(to).toMatch(
      /^=\?UTF-8\?B\?[^?]+\?=: "Doe, J\." <j@a\.example>, =\?UTF-8\?B\?[^?]+\?= <a@a\.example>;$/,
    );
    expect(decoded(to)).toBe('Team Ö: "Doe, J." <j@a.example>, Å <a@a.example>;');
  });

  it('still encodes other fields, and an address field that lists no address, whole', async () => {
    const block = await headerBlockSent({ subject: 'Grüße <x@y.example>', to: 'nur ein Name, ä' });
    expect(field(block, 'Subject')).toMatch(/^=\?UTF-8\?B\?[^?]+\?=$/);
    expect(decoded(field(block, 'Subject'))).toBe('Grüße <x@y.example>');
    expect(decoded(field(block, 'To'))).toBe('nur ein Name, ä');
  });
});
