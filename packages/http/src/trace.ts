import type { IncomingMessage, ServerResponse } from 'node:http';
import { maskSecrets, type Trace } from '@parley/core/transport';

/** Sends a header block to a trace: its first line, then each field (secrets masked). */
export function traceHead(
  trace: Trace,
  side: 'client' | 'server',
  direction: 'send' | 'receive',
  first: string,
  fields: readonly string[] | Readonly<Record<string, string | string[] | undefined>>,
  connection?: string,
): void {
  const event = { protocol: 'http', side, direction, connection } as const;
  trace({ ...event, summary: first, bytes: first.length + 2 });
  const pairs: [string, unknown][] = [];
  if (Array.isArray(fields)) {
    for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([fields[i] as string, fields[i + 1]]);
  } else {
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value])
        if (one !== undefined) pairs.push([name, one]);
    }
  }
  for (const [name, value] of pairs) {
    const line = `${name}: ${String(value)}`;
    trace({ ...event, summary: maskSecrets(line), bytes: line.length + 2 });
  }
}

/**
 * Traces a server exchange: the request line and fields as they arrived, and the status line
 * and fields as `writeHead` sends them.
 */
export function traceExchange(trace: Trace, req: IncomingMessage, res: ServerResponse): void {
  const connection = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
  const fields: string[] = req.rawHeaders;
  traceHead(
    trace,
    'server',
    'receive',
    `${req.method} ${req.url} HTTP/${req.httpVersion}`,
    fields,
    connection,
  );
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, code: number, ...rest: unknown[]) {
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null) as string[] | undefined;
    traceHead(trace, 'server', 'send', `HTTP/1.1 ${code}`, headers ?? [], connection);
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, code, ...rest);
  } as ServerResponse['writeHead'];
}
