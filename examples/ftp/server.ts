/**
 * A tiny file store over FTP.
 *
 * What happens on the wire, and where Parley comes in:
 *
 * 1. Control connection. The client opens one TCP connection (port 2121 here; 21 is the
 *    standard port) and the server greets it with `220`. Every command and reply travels on
 *    it as one line of text: `RETR notes.txt` is answered by a three-digit code and a text.
 * 2. Login. `USER alice` is always answered `331 Password required` (whether alice exists
 *    or not, so nobody can probe for user names), then `PASS secret` gets `230` when the
 *    server's `authenticate` hook accepts it, or `530` after a short delay. Three refusals
 *    and the server hangs up with `421`.
 * 3. Data connections. File contents and listings never travel on the control connection.
 *    The client sends `EPSV` (or `PASV`); the server opens a passive port and answers
 *    `229 Entering Extended Passive Mode (|||50123|)`; the client connects there. Only a
 *    connection from the client's own address is accepted, and the port is closed again as
 *    soon as that one connection arrives, or times out.
 * 4. One transfer per data connection. `RETR` becomes a Parley `GET`, `STOR` a `PUT`, `APPE`
 *    a `POST`, `DELE` a `DELETE`, `MLSD`/`LIST`/`NLST` a `LIST` of a collection path (ending
 *    in `/`), `SIZE`/`MDTM`/`MLST` a `HEAD`. The server answers `150` when the transfer
 *    starts, streams the body over the data connection, closes it, and answers `226`.
 * 5. Reply codes. The handler's status becomes the reply: `ok` is `226` (or `250` for file
 *    actions), `not_found` `550`, `forbidden` `550 Forbidden: ...`, `too_large` `552`,
 *    `unauthenticated` `530`. The client reads them back into the same statuses.
 * 6. Shutdown. On SIGINT/SIGTERM the server stops accepting connections, lets transfers in
 *    flight finish (up to 10 s), then says `421` to every connection and closes it.
 *
 * Run: `pnpm start` (PORT defaults to 2121), then
 * `curl -u alice:secret ftp://127.0.0.1:2121/files/` or `lftp -u alice,secret -p 2121 127.0.0.1/files`
 * (the files live in `/files/`; the root has no route, so `ls` there is `550`).
 */
import {
  type Body,
  createRouter,
  createServer,
  logRequests,
  passwordTable,
  respond,
  respondListing,
} from '@parley/core';
import { ftp } from '@parley/ftp';

/** The stored files by name, with their bytes and modification time. */
export const files = new Map<string, { bytes: Buffer; modified: Date }>();

/** Reads a request body, refusing more than 10 MiB (the handler's own limit). */
function read(body: Body): Promise<Uint8Array> {
  return body.bytes({ limit: 10 * 1024 * 1024 });
}

/** The service: files under `/files/`, listed by `LIST /files/`. */
export const router = createRouter()
  // MLSD, LIST, NLST (and CWD, which checks that the directory exists).
  .list('/files/', async () =>
    respondListing(
      [...files].map(([file, { bytes, modified }]) => ({
        name: file,
        type: 'file',
        size: bytes.byteLength,
        modified: modified.toISOString(),
      })),
    ),
  )
  // RETR. content-length lets the server announce the size in its 150 reply.
  .get('/files/:name', async (request) => {
    const file = files.get(request.params.name);
    if (file === undefined) return respond('not_found', `${request.params.name} does not exist`); // 550
    return respond('ok', file.bytes, {
      'content-length': file.bytes.byteLength,
      'last-modified': file.modified.toUTCString(),
    });
  })
  // STOR: the upload streams in from the data connection.
  .put('/files/:name', async (request) => {
    const created = !files.has(request.params.name);
    files.set(request.params.name, { bytes: Buffer.from(await read(request.body)), modified: new Date() });
    return respond(created ? 'created' : 'ok'); // 226 Created: ... or 226 Transfer complete
  })
  // APPE.
  .post('/files/:name', async (request) => {
    const before = files.get(request.params.name)?.bytes ?? Buffer.alloc(0);
    const added = Buffer.from(await read(request.body));
    files.set(request.params.name, { bytes: Buffer.concat([before, added]), modified: new Date() });
    return respond('ok');
  })
  // DELE.
  .delete('/files/:name', async (request) =>
    files.delete(request.params.name)
      ? respond('ok')
      : respond('not_found', `${request.params.name} does not exist`),
  );

/** Starts the service on a port (0 picks a free one) and returns the server and its URL. */
export async function start(port: number) {
  const server = createServer(router, {
    middleware: [logRequests()],
    // Checked at PASS. Without a hook the server would accept any login.
    authenticate: passwordTable({ alice: 'secret' }),
  });
  const listener = await server.listen(ftp(`ftp://127.0.0.1:${port}`));
  return { server, url: listener.url };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { server, url } = await start(Number(process.env.PORT ?? 2121));
  console.log(`File store listening on ${url} (user alice, password secret)`);
  // Graceful shutdown: stop accepting, let transfers in flight finish, then 421 and close.
  const stop = async (): Promise<void> => {
    await server.close({ timeoutMs: 10_000 });
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
