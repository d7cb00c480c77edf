import type { Writable } from 'node:stream';
import { type Client, createClient, isSuccess, ParleyError, type Response, readListing } from '@parley/core';
import type { RequestCommand } from './args.js';
import { bodyFailure, CliError, EXIT, isEmptyReply } from './exit.js';
import { ftpFolderMissing } from './ftp-missing-folder.js';
import { type Input, lendBody, type Output, openInput, openOutput, writeBody } from './io.js';
import { reclaimer } from './memory.js';
import type { Progress } from './progress.js';
import { refusalExit } from './refusal-exit.js';
import { resumedAnswer, resumeOffset } from './resume.js';
import { type Session, startSession } from './session.js';
import { parseTarget, type Target } from './target.js';
import { loadTransport } from './transport-for.js';
import { visible } from './visible.js';

/** The most redirects `-L` follows: curl's default (`--max-redirs 50`). */
const MAX_REDIRECTS = 50;

/** What a request command reads and writes. */
export interface RequestStreams {
  /** Bodies, listings and (`-i`) header fields. */
  readonly stdout: Writable;
  /** Messages, the progress meter and (`-v`) the wire dialogue. */
  readonly stderr: Writable & { isTTY?: boolean };
  /** Read for `-T -` and `-d @-`. */
  readonly stdin: NodeJS.ReadableStream;
}

/** Sends one request and writes its answer; resolves with the exit code. */
export async function runRequest(command: RequestCommand, streams: RequestStreams): Promise<number> {
  const session = startSession(command, streams.stderr, streams.stdout);
  try {
    const offset = resumeOffset(command.resumeFrom, command.outputFile);
    const { response, client, target } = await send(command, streams, session, offset);
    try {
      return await answer(command, target, response, streams, session, offset, client);
    } finally {
      await client.close();
    }
  } finally {
    await session.close();
  }
}

async function send(
  command: RequestCommand,
  streams: RequestStreams,
  session: Session,
  offset: number,
): Promise<{ response: Response; client: Client; target: Target }> {
  let target = command.target;
  // As curl's -C: the rest of the body from the offset (FTP sends it as REST).
  let headers = offset > 0 ? { ...command.headers, range: `bytes=${offset}-` } : command.headers;
  for (let redirects = 0; ; redirects++) {
    const client = createClient(
      await loadTransport(target.scheme, target.transportUrl, {
        tls: command.tls,
        startTls: command.startTls,
      }),
      {
        retries: 0,
        trace: session.tracer.trace,
        // As curl: no time limit unless --max-time gives one (a large transfer takes what it takes).
        timeoutMs: command.maxTimeMs ?? Number.POSITIVE_INFINITY,
      },
    );
    let response: Response;
    let input: Input | undefined;
    try {
      input = command.body === undefined ? undefined : upload(command, streams, session);
      response = await client.request(command.method, target.path, {
        query: target.query,
        body: input?.body,
        headers,
        signal: session.signal,
      });
      // A file that shrank while it was sent is no success, whatever the peer made of it.
      const shrank = input?.failure();
      if (shrank !== undefined) {
        await response.body.cancel();
        throw shrank;
      }
    } catch (error) {
      await client.close();
      const shrank = input?.failure();
      if (shrank !== undefined) throw shrank;
      const failure = session.failure(error);
      if (isEmptyReply(failure)) throw new CliError(EXIT.emptyReply, 'Empty reply from the server');
      // Refused before sending, after a redirect: the server's location is at fault, not the usage.
      if (redirects > 0 && failure instanceof ParleyError && failure.status === 'bad_request')
        throw new CliError(EXIT.badUrl, `Cannot follow the redirect: ${failure.message}`);
      throw failure;
    }
    const location = response.headers.get('location');
    if (
      !command.location ||
      location === undefined ||
      isSuccess(response.status) ||
      command.body !== undefined
    ) {
      return { response, client, target };
    }
    await response.body.cancel();
    await client.close();
    if (redirects >= MAX_REDIRECTS)
      throw new CliError(EXIT.tooManyRedirects, `More than ${MAX_REDIRECTS} redirects`);
    const next = redirected(target, location);
    if (originOf(next) !== originOf(target)) headers = withoutCredentials(headers);
    target = next;
  }
}

/** Request fields that carry credentials: as curl, `-H` ones are not sent on to another origin. */
const CREDENTIAL_FIELDS: ReadonlySet<string> = new Set(['authorization', 'proxy-authorization', 'cookie']);

function withoutCredentials(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !CREDENTIAL_FIELDS.has(name.toLowerCase())),
  );
}

/** The scheme, host and port a target is sent to. */
function originOf(target: Target): string {
  const url = new URL(target.transportUrl);
  return `${url.protocol}//${url.host}`;
}

function upload(command: RequestCommand, streams: RequestStreams, session: Session): Input | undefined {
  const source = command.body;
  if (source === undefined) return undefined;
  const trace = session.traceBody('send');
  const reclaim = reclaimer('send');
  let progress: Progress | undefined;
  // Chunks are watched only when something needs them; otherwise they flow untouched.
  const watch =
    session.metered || trace !== undefined || reclaim !== undefined
      ? (chunk: Uint8Array) => {
          progress?.add(chunk.byteLength);
          trace?.(chunk);
          reclaim?.(chunk.byteLength);
        }
      : undefined;
  // Read into a transport's reused buffers, a file makes no garbage to collect; the trace file
  // keeps chunks, so it rules that out.
  const filled = trace === undefined ? (bytes: number) => progress?.add(bytes) : undefined;
  const input = openInput(source, streams.stdin, watch, filled);
  progress = session.progress(input.size);
  return input;
}

/** The schemes `-L` follows a redirect to, as curl's default: no other protocol, no local file. */
const REDIRECT_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:', 'ftp:', 'ftps:']);

function redirected(target: Target, location: string): Target {
  const base = new URL(target.transportUrl);
  base.pathname = `${base.pathname.replace(/\/$/, '')}${target.path.replaceAll('%', '%25')}`;
  base.search = target.query;
  let next: URL;
  try {
    next = new URL(location, base);
  } catch {
    throw new CliError(EXIT.badUrl, `Malformed redirect location: ${location}`);
  }
  if (!REDIRECT_SCHEMES.has(next.protocol)) {
    throw new CliError(
      EXIT.unknownScheme,
      `Not following the redirect to ${next.protocol} (only http, https, ftp and ftps)`,
    );
  }
  return parseTarget(next.href);
}

async function answer(
  command: RequestCommand,
  target: Target,
  response: Response,
  streams: RequestStreams,
  session: Session,
  offset: number,
  client: Client,
): Promise<number> {
  const resumed = offset > 0 ? await resumeOutcome(response, offset) : 'answer';
  if (resumed === 'complete') {
    session.note(`Nothing left to get: the ${offset} bytes from the peer are all here`);
    return EXIT.ok;
  }
  const ok = isSuccess(response.status);
  const query = target.query === '' ? '' : `?${target.query}`;
  const what = `${response.status} (${target.scheme} ${command.method} ${target.path}${query})`;
  const refused = ok ? undefined : await refusalOf(command, target, response, client, session.signal);
  if (refused !== undefined) {
    const reply = await replyText(response);
    const failed = refused === EXIT.loginDenied ? 'Login denied' : 'The peer refused';
    session.error(`${failed}: ${what}${reply === '' ? '' : `: ${reply}`}`);
    return refused;
  }
  if (!ok && command.fail) {
    await response.body.cancel();
    session.error(`The peer answered ${what}`);
    return EXIT.failed;
  }
  const output = openOutput(command.outputFile, streams.stdout, resumed === 'append');
  if (command.include) output.stream.write(headerBlock(target, response));
  if (command.method === 'LIST' && ok) {
    output.stream.write(await listingText(response));
  } else {
    const progress = session.progress(response.body.size);
    const trace = session.traceBody('receive');
    try {
      // A file takes chunks lent by the transport (from its read buffer, or as its parser hands
      // them on) when the body can lend them and nothing keeps them (the trace file does);
      // otherwise the body's stream is piped.
      const write = trace === undefined ? await writerOf(output, response) : undefined;
      const lending =
        write === undefined ? undefined : lendBody(response.body, write, lentWatcher(session, progress));
      if (lending !== undefined) await lending;
      else await writeBody(response.body, output.stream, watcher(session, progress, trace), session.signal);
    } catch (error) {
      // What arrived is kept, as curl keeps it: the file is flushed and closed before the exit.
      await output.close().catch(() => undefined);
      throw bodyFailure(session.failure(error), response.body.size);
    } finally {
      progress.finish();
    }
  }
  await output.close();
  if (!ok) session.error(what);
  else if (command.method !== 'GET' && command.method !== 'LIST' && command.method !== 'HEAD')
    session.note(what);
  return EXIT.ok;
}

/** The exit code of a refused FTP or SMTP request (see `refusalExit`), its reply text unread. */
async function refusalOf(
  command: RequestCommand,
  target: Target,
  response: Response,
  client: Client,
  signal: AbortSignal,
): Promise<number | undefined> {
  const { scheme } = target;
  const folderMissing =
    (scheme === 'ftp' || scheme === 'ftps') &&
    response.status === 'not_found' &&
    (command.method === 'GET' ||
      command.method === 'HEAD' ||
      command.method === 'PUT' ||
      command.method === 'POST') &&
    (await ftpFolderMissing(client, target.path, signal));
  const folder = command.method === 'PUT' && target.path.endsWith('/');
  return refusalExit(scheme, folder ? 'MKD' : command.method, response.status, folderMissing);
}

/** What {@link resumedAnswer} makes of the answer; the body is released unless it is to be written. */
async function resumeOutcome(response: Response, offset: number): Promise<'append' | 'complete' | 'answer'> {
  try {
    const outcome = resumedAnswer(response, offset);
    if (outcome === 'complete') await response.body.cancel();
    return outcome;
  } catch (error) {
    await response.body.cancel();
    throw error;
  }
}

/** The output's synchronous writer, if it has one; the body is cancelled when the file cannot be opened. */
async function writerOf(
  output: Output,
  response: Response,
): Promise<((chunk: Uint8Array) => void) | undefined> {
  try {
    return await output.writer?.();
  } catch (error) {
    await response.body.cancel();
    throw error;
  }
}

/**
 * What sees each lent chunk (progress meter, collections), if anything does. Only memory the
 * previous chunk was not in counts towards a collection: a transport that reads into one reused
 * buffer makes no garbage; one that lends each socket read as it comes (in a new buffer) does.
 */
function lentWatcher(session: Session, progress: Progress): ((chunk: Uint8Array) => void) | undefined {
  const reclaim = reclaimer('receive');
  if (reclaim === undefined) return session.metered ? (chunk) => progress.add(chunk.byteLength) : undefined;
  let memory: ArrayBufferLike | undefined;
  return (chunk) => {
    progress.add(chunk.byteLength);
    if (chunk.buffer === memory) return;
    memory = chunk.buffer;
    reclaim(memory.byteLength);
  };
}

/** What sees each chunk of a piped body (progress meter, trace, collections), if anything does. */
function watcher(
  session: Session,
  progress: Progress,
  trace: ((chunk: Uint8Array) => void) | undefined,
): ((chunk: Uint8Array) => void) | undefined {
  const reclaim = reclaimer('receive');
  if (!session.metered && trace === undefined && reclaim === undefined) return undefined;
  return (chunk) => {
    progress.add(chunk.byteLength);
    trace?.(chunk);
    reclaim?.(chunk.byteLength);
  };
}

/** The most of a refusal's reply shown in its message, in bytes. */
const MAX_REPLY_BYTES = 1024;

/**
 * The peer's words of a refusal, on one line: SMTP's `smtp-reply` field, else the body (an FTP
 * reply's text), if short; empty when there are none. The body is released either way.
 */
async function replyText(response: Response): Promise<string> {
  const field = response.headers.get('smtp-reply');
  let text = field ?? '';
  if (field === undefined) {
    try {
      text = await response.body.text({ limit: MAX_REPLY_BYTES });
    } catch {
      // A longer body is no reply text: the status says enough.
    }
  }
  await response.body.cancel();
  return text.replace(/\s+/g, ' ').trim();
}

function headerBlock(target: Target, response: Response): string {
  let text = `${target.scheme} ${response.status}\n`;
  for (const [name, value] of response.headers) {
    // One line per cookie, as they came: joined, their commas would be ambiguous.
    if (name === 'set-cookie')
      for (const cookie of response.headers.getSetCookie()) text += `${name}: ${visible(cookie)}\n`;
    else text += `${visible(name)}: ${visible(value)}\n`;
  }
  return `${text}\n`;
}

/**
 * The largest listing read (its JSON): about 400 000 entries. A listing is rendered whole, so a
 * server sending one without end would otherwise fill the memory.
 */
const MAX_LISTING_BYTES = 16 * 1024 * 1024;

async function listingText(response: Response): Promise<string> {
  let text = '';
  for (const entry of await readListing(response, { maxBytes: MAX_LISTING_BYTES })) {
    const kind = entry.type === 'directory' ? 'd' : '-';
    // A server's JSON may hold anything in these fields: only what they should be is shown.
    const size = typeof entry.size === 'number' ? String(entry.size) : '';
    const modified = typeof entry.modified === 'string' ? entry.modified : '';
    text += `${kind} ${size.padStart(10)} ${visible(modified).padEnd(24)} ${visible(entry.name)}\n`;
  }
  return text;
}
