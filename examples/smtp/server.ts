/**
 * A mailbox service over SMTP.
 *
 * What happens on the wire for each mail, and where Parley comes in:
 *
 * 1. Greeting. The client connects; the server waits `earlyTalkerDelayMs` (100 ms by
 *    default) and says `220 localhost ESMTP Parley`. A client that talks before this is
 *    refused: real mail clients wait, spam tools often do not.
 * 2. EHLO. The client introduces itself; the server lists its extensions: SIZE (the largest
 *    message, `maxMessageBytes`), PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES, and STARTTLS
 *    and AUTH when configured.
 * 3. MAIL FROM:<sender>. The envelope sender. With `authenticate` set, a client that has
 *    not logged in (AUTH PLAIN or LOGIN) is refused here with 530 5.7.0.
 * 4. RCPT TO:<mailbox@host>. Each recipient is a path: `notes+hello.txt@localhost` is
 *    `/notes/hello.txt`. The server asks the router whether a `POST` to that path exists:
 *    an unknown mailbox is refused now, with 550 5.1.1, before any data is sent.
 * 5. DATA. The message streams in. Its top-level header fields (Subject, From...) become the
 *    request headers, the rest the request body. One request per recipient.
 * 6. The acknowledgement. The handler's status becomes the reply to DATA: `ok` is
 *    `250 2.0.0`, `forbidden` `550 5.7.1`, `too_large` `552 5.3.4`...
 *
 * SMTP is one-way: the reply is a code and one line of text, never a document, so an SMTP
 * response has no body. What a handler returns travels only as that status (and, for
 * failures, the first line of its text).
 *
 * Run: `pnpm start` (PORT defaults to 2525), then `swaks --server 127.0.0.1:2525 --to notes@localhost`.
 */
import { createRouter, createServer, logRequests, type Request, respond } from '@parley/core';
import { parseMail, smtp } from '@parley/smtp';

/** Mails received, newest last (a real service would store them). */
export const inbox: { path: string; subject: string | undefined; text: string | undefined }[] = [];

/** The service: `/notes` and `/notes/<name>` accept mail; everything else does not exist. */
export const router = createRouter().post('/notes', receive).post('/notes/:name', receive);

async function receive(request: Request) {
  // parseMail puts the header fields and the body back together and parses the MIME.
  const mail = await parseMail(request);
  if ((mail.text ?? '').length === 0 && mail.attachments.length === 0) {
    return respond('bad_request', 'An empty mail is not a note'); // 554 5.6.0
  }
  inbox.push({ path: request.path, subject: mail.subject, text: mail.text?.trim() });
  return respond('ok'); // 250 2.0.0
}

/** Starts the service on a port (0 picks a free one) and returns the server and its URL. */
export async function start(port: number) {
  const server = createServer(router, { middleware: [logRequests()] });
  const listener = await server.listen(smtp(`smtp://127.0.0.1:${port}`));
  return { server, url: listener.url };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { server, url } = await start(Number(process.env.PORT ?? 2525));
  console.log(`Mailbox service listening on ${url}`);
  // Graceful shutdown: stop accepting connections, let mails in DATA finish, then close.
  const stop = async (): Promise<void> => {
    await server.close({ timeoutMs: 10_000 });
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
