import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';
import { describe, expect, it } from 'vitest';
import { replyLine, scrubReplyText } from '../src/server/reply-line.js';

/**
 * The line `SMTPConnection.send` of smtp-server writes for a single-line reply, run on a stand-in
 * connection whose enhanced status code is the context it is given.
 */
function libraryLine(code: number, enhanced: string, text: string): string {
  const written: string[] = [];
  const connection = {
    _getEnhancedStatusCode: (_code: number, context?: string | false) => (context === false ? '' : context),
    session: {},
    _upgrading: false,
    _socket: { destroyed: false, readyState: 'open', write: (line: string) => written.push(line) },
    _server: { logger: { debug: () => false } },
    id: 'test',
    close: () => undefined,
  };
  SMTPConnection.prototype.send.call(connection, code, text, enhanced === '' ? false : enhanced);
  expect(written).toHaveLength(1);
  return (written[0] as string).replace(/\r\n$/, '');
}

describe('a single-line reply', () => {
  it.each([
    [250, '2.1.0', 'Accepted'],
    [250, '2.0.0', 'OK <1234.5678@example.org>'],
    [354, '', 'End data with <CR><LF>.<CR><LF>'],
    [550, '5.7.1', 'mail to /fail is refused'],
    [250, '', ''],
    [250, '2.0.0', ''],
    [552, '5.3.4', 'bad\r\ninjected: line'],
    [451, '4.3.0', '\u0000nul, \u001fus, \u007fdel, \u0085nel, \u009fapc, \u00a0nbsp, é, \u2028ls'],
    [250, '2.0.0', '\t'],
  ])('is the line smtp-server writes: %i %j %j', (code, enhanced, text) => {
    expect(replyLine(code, enhanced, text)).toBe(libraryLine(code, enhanced, text));
  });

  it.each([
    [250, '2.0.0', 'OK <1234.5678@example.org>'],
    [550, '5.7.1', 'mail to /fail is refused'],
    [552, '5.3.4', 'bad\r\ninjected: line'],
    [451, '4.3.0', '\u0000nul, \u001fus, \u007fdel, \u0085nel, \u009fapc, \u00a0nbsp, é, \u2028ls'],
    [250, '2.0.0', '\t'],
    [250, '2.0.0', ' two spaces'],
  ])('of a text with its own code is the code and the scrubbed text: %i %j %j', (code, enhanced, text) => {
    // The connection writes such a reply as `${code} ${scrubReplyText(text)}` (see connection-hooks.ts).
    expect(`${code} ${scrubReplyText(`${enhanced} ${text}`)}`).toBe(libraryLine(code, enhanced, text));
  });

  it('scrubs every control character to a space and keeps a clean text as it is', () => {
    expect(scrubReplyText('a\r\nb\u0085c\u00a0d')).toBe('a  b c\u00a0d');
    const clean = 'OK <id@example.org>';
    expect(scrubReplyText(clean)).toBe(clean);
  });
});
