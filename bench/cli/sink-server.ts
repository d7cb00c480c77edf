/** A Parley HTTP server for the CLI benchmark: GET /blob streams N zero bytes, PUT /sink drains. */
import { Readable } from 'node:stream';
import { Body, createServer, respond } from '@parley/core';
import { http } from '@parley/http';

const size = Number(process.argv[2] ?? 1024 ** 3);
const chunk = Buffer.alloc(256 * 1024);
const server = createServer(async (request) => {
  if (request.method === 'GET') {
    const source = Readable.from(
      (function* () {
        for (let sent = 0; sent < size; sent += chunk.byteLength)
          yield chunk.subarray(0, Math.min(chunk.byteLength, size - sent));
      })(),
    );
    return respond('ok', Body.from(source, size));
  }
  for await (const _ of request.body);
  return respond('created');
});
const listener = await server.listen(
  http('http://127.0.0.1:0', { maxBodyBytes: Number.MAX_SAFE_INTEGER, requestTimeoutMs: 0 }),
);
console.log(listener.url);
process.once('SIGTERM', () => void server.close({ timeoutMs: 1_000 }).then(() => process.exit(0)));
