import { createClient, createServer, formatTraceEvent, logRequests, memory, respond } from '@parley/core';
import { describe, expect, it } from 'vitest';

describe('what a peer chose, on a log line', () => {
  it('logRequests shows line feeds, escape sequences and bidirectional overrides of a user name as escapes', async () => {
    const lines: string[] = [];
    const server = createServer(async () => respond('ok'), {
      middleware: [logRequests({ write: (line) => lines.push(line), timestamps: false })],
      // A hook that takes any name with the right password, as a token or guest login might.
      authenticate: (credentials) =>
        credentials.kind === 'password' && credentials.password === 'pw'
          ? { name: credentials.username }
          : null,
    });
    const listener = await server.listen(memory('memory://log-line-forging'));
    const url = new URL(listener.url);
    url.username = encodeURIComponent(
      'ann\n2026-01-01T00:00:00.000Z http DELETE /all ok\u001b]0;x\u0007\u202e',
    );
    url.password = 'pw';
    await createClient(memory(url.href)).get('/notes/a');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^memory GET \/notes\/a ok \d+\.\dms user=ann\\x0a2026-01-01T00:00:00\.000Z http DELETE \/all ok\\x1b\]0;x\\x07\\u202e$/,
    );
    await server.close();
  });

  it('formatTraceEvent shows the control and bidirectional characters of a summary as escapes', () => {
    const line = formatTraceEvent({
      protocol: 'ftp',
      side: 'server',
      direction: 'receive',
      summary: 'NOOP \u001b[2J\u001b]0;pwned\u0007\r\n< ftp PASS x\u2028\u202e',
    });
    expect(line).toBe('< ftp NOOP \\x1b[2J\\x1b]0;pwned\\x07\\x0d\\x0a< ftp PASS x\\u2028\\u202e');
  });
});
