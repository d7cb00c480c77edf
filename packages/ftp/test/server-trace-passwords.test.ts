import { createServer, respond, type TraceEvent } from '@parley/core';
import { ftp } from '@parley/ftp';
import { describe, expect, it } from 'vitest';
import { RawFtp } from './raw-ftp.js';

describe('the FTP server trace, with passwords sent malformed', () => {
  it('shows no password, whether PASS comes after a space, a tab, blanks or nothing at all', async () => {
    const events: TraceEvent[] = [];
    const server = createServer(async () => respond('ok'), { trace: (event) => events.push(event) });
    const listener = await server.listen(ftp('ftp://127.0.0.1:0', { server: { loginFailureDelayMs: 10 } }));
    try {
      const lines = [
        'PASS secret1',
        'PASS\tsecret2',
        ' PASS secret3',
        'pass  secret4',
        'PASSsecret5',
        'ACCT secret6',
      ];
      for (const line of lines) {
        const raw = await RawFtp.connect(Number(new URL(listener.url).port));
        await raw.send('USER someone');
        await raw.send(line);
        raw.socket.destroy();
      }
      const summaries = events.map((event) => event.summary);
      expect(summaries.filter((summary) => /PASS|ACCT/i.test(summary)).length).toBeGreaterThanOrEqual(
        lines.length,
      );
      expect(summaries.filter((summary) => /secret/i.test(summary))).toEqual([]);
    } finally {
      await server.close({ timeoutMs: 1000 });
    }
  });
});
