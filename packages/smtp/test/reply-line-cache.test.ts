import { describe, expect, it } from 'vitest';
import { replyLine } from '../src/server/reply-line.js';
import { ReplyLineCache } from '../src/server/reply-line-cache.js';

describe('the reply line cache', () => {
  it('gives the line replyLine makes, with and without its CRLF, the same object for the same reply', () => {
    const cache = new ReplyLineCache();
    const first = cache.of(250, '2.1.0', 'Accepted');
    expect(first.line).toBe(replyLine(250, '2.1.0', 'Accepted'));
    expect(first.wire).toBe('250 2.1.0 Accepted\r\n');
    expect(cache.of(250, '2.1.0', 'Accepted')).toBe(first);
    expect(cache.of(250, '2.1.5', 'Accepted').line).toBe('250 2.1.5 Accepted');
    expect(cache.of(550, '2.1.0', 'Accepted').line).toBe('550 2.1.0 Accepted');
  });

  it('stays right past its size, control characters scrubbed', () => {
    const cache = new ReplyLineCache();
    for (let i = 0; i < 30; i++) {
      const text = `reply\n${i % 11}`;
      expect(cache.of(451, '4.3.0', text).wire).toBe(`${replyLine(451, '4.3.0', text)}\r\n`);
      expect(cache.of(451, '4.3.0', text).line).toBe(`451 4.3.0 reply ${i % 11}`);
    }
  });
});
