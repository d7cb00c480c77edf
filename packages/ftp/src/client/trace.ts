import type { Trace } from '@parley/core';
import type { Client as BasicClient } from 'basic-ftp';

/**
 * Sends the control dialogue of a basic-ftp connection to a trace: its verbose log gives each
 * command sent (`> `, the password already masked), each reply received (`< `) and what it
 * says of connections (data connections included).
 */
export function traceControl(client: BasicClient, trace: Trace): void {
  const ftp = client.ftp;
  ftp.verbose = true;
  ftp.log = (message: string) => {
    const sent = message.startsWith('> ');
    const received = message.startsWith('< ');
    const text = sent || received ? message.slice(2) : message;
    for (const line of text.split(/\r?\n/)) {
      if (line === '') continue;
      trace({
        protocol: 'ftp',
        side: 'client',
        direction: sent ? 'send' : received ? 'receive' : 'info',
        summary: line.replace(/^PASS ###$/, 'PASS ****'),
        bytes: sent || received ? Buffer.byteLength(line) + 2 : undefined,
      });
    }
  };
}
