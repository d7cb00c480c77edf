import type { Transport } from '@parley/core';
import { parseTransportUrl } from '@parley/core/transport';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import { describe, expect, it } from 'vitest';
import { refusal } from './support/refusal.js';

const makers: [string, (url: string) => Transport, string][] = [
  ['http', http, 'http://127.0.0.1:8080'],
  ['ftp', ftp, 'ftp://127.0.0.1:2121'],
  ['smtp', smtp, 'smtp://127.0.0.1:2525'],
  ['mqtt', mqtt, 'mqtt://127.0.0.1:1883/notes'],
  ['ws', ws, 'ws://127.0.0.1:8080/parley'],
];

describe('every transport refuses a URL it cannot use with bad_request and a readable message', () => {
  it.each(makers)('%s() on strings that are not URLs', (name, make) => {
    for (const url of [
      '',
      'not a url',
      `${name}://127.0.0.1:70000/x`,
      `${name}://[::1/x`,
      `${name}://127.0.0.1:-1/x`,
    ]) {
      expect(refusal(make, url)).toEqual({
        status: 'bad_request',
        message: `${name}() got an invalid URL: ${url}`,
      });
    }
  });

  it.each(makers)('%s() masks the password of a URL it cannot parse', (name, make) => {
    const url = `${name}://alice:s3cret@127.0.0.1:99999/x`;
    const message = refusal(make, url)?.message ?? '';
    expect(message).toContain(`${name}://alice:***@127.0.0.1:99999/x`);
    expect(message).not.toContain('s3cret');
  });

  it.each(makers)('%s() on another scheme names the schemes it takes', (name, make) => {
    const refused = refusal(make, 'gopher://127.0.0.1:70/x');
    expect(refused?.status).toBe('bad_request');
    expect(refused?.message).toMatch(new RegExp(`^${name}\\(\\) takes ${name}://.* URLs, not gopher://$`));
  });

  it.each(makers)('%s() takes its own URL', (_, make, url) => {
    expect(refusal(make, url)).toBeUndefined();
  });
});

describe('parseTransportUrl', () => {
  it('lists the schemes it takes', () => {
    expect(() => parseTransportUrl('http://x', ['smtp', 'smtps', 'lmtp'], 'smtp()')).toThrow(
      'smtp() takes smtp://, smtps:// or lmtp:// URLs, not http://',
    );
    expect(() => parseTransportUrl('http://x', ['ws'], 'ws()')).toThrow('ws() takes ws:// URLs, not http://');
    expect(parseTransportUrl('ws://x:1/p', ['ws'], 'ws()').port).toBe('1');
  });
});
