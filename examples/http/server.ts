/**
 * A tiny notes service over HTTP. Run it with `pnpm start` (PORT=8080 by default) and try:
 *
 *   curl -T notes.txt http://127.0.0.1:8080/notes/notes.txt   # PUT: store a note
 *   curl http://127.0.0.1:8080/notes/notes.txt                # GET: read it back
 *   curl http://127.0.0.1:8080/notes/                         # LIST: a GET on a path ending in /
 *   curl -X DELETE http://127.0.0.1:8080/notes/notes.txt      # DELETE
 *
 * How an HTTP exchange goes, and where Parley fits in:
 *
 * 1. A port and a socket. The server listens on a TCP port. Each client opens a connection (a
 *    socket) to it, and may keep it open to send many requests one after another (keep-alive).
 * 2. One request, one response. The client writes a request line (`GET /notes/a.txt HTTP/1.1`),
 *    header fields and maybe a body; the server answers with a status line (`200 OK`), header
 *    fields and a body. Parley turns the first into a `Request` and your `Response` into the second.
 * 3. Statelessness. Nothing of one request survives into the next unless the service keeps it:
 *    here the notes live in a Map, not in the connection. Any request may arrive on any connection.
 * 4. Graceful shutdown. On SIGINT or SIGTERM the server stops accepting connections, lets the
 *    requests in flight finish (up to a deadline), then closes every connection.
 */
import { pathToFileURL } from 'node:url';
import { createRouter, createServer, logRequests, respond, respondListing, type Server } from '@parley/core';
import { http } from '@parley/http';

/** The service's state: note names and their text. It outlives every connection. */
export const notes = new Map<string, string>();

/** The routes: each takes one Request and returns one Response; none knows about sockets. */
const router = createRouter()
  .put('/notes/:name', async (request) => {
    const name = request.params.name;
    const created = !notes.has(name);
    // The body streams in; reading it whole is fine for small notes (refused over 64 KiB).
    notes.set(name, await request.body.text({ limit: 64 * 1024 }));
    return respond(created ? 'created' : 'ok'); // 201 or 200 on the wire
  })
  .get('/notes/:name', async (request) => {
    const text = notes.get(request.params.name);
    if (text === undefined) return respond('not_found', 'No such note'); // 404
    return respond('ok', text, { 'content-type': 'text/plain; charset=utf-8' });
  })
  .list('/notes/', async () =>
    respondListing([...notes].map(([name, text]) => ({ name, type: 'file', size: Buffer.byteLength(text) }))),
  )
  .delete('/notes/:name', async (request) =>
    notes.delete(request.params.name) ? respond('no_content') : respond('not_found', 'No such note'),
  );

/** Starts the service on a port (0: any free one) and returns the server and its URL. */
export async function start(port: number): Promise<{ server: Server; url: string }> {
  // logRequests() writes one line per request: protocol, method, path, status and duration.
  const server = createServer(router, { middleware: [logRequests()] });
  // Listening binds the port; from now on clients can connect.
  const listener = await server.listen(http(`http://127.0.0.1:${port}`));
  return { server, url: listener.url };
}

// Run directly (`pnpm start`): configuration from the environment, shutdown on signals.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { server, url } = await start(Number(process.env.PORT ?? 8080));
  console.log(`notes service listening on ${url}`);
  const shutDown = (signal: string): void => {
    console.log(`${signal}: finishing requests in flight, then closing`);
    void server.close({ timeoutMs: 10_000 }).then(() => process.exit(0));
  };
  process.once('SIGINT', shutDown);
  process.once('SIGTERM', shutDown);
}
