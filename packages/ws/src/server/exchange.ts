import {
  Body,
  createRequest,
  type HeaderMap,
  ParleyError,
  type Peer,
  type Request,
  type Response,
  respond,
  respondError,
  type Status,
} from '@parley/core';
import { type ResponseSink, timerDelay } from '@parley/core/transport';
import { WS_STATUS_MAP } from '../status-map.js';
import { type DeclaredLength, Inflow, inlineBody, lengthMismatch, Outflow, pumpBody } from '../wire/flow.js';
import { encodeCredit, encodeHeadFrame, encodeJsonHeadFrame, encodeText, FRAME } from '../wire/frame.js';
import { contentLength, fieldsOf, type RequestHead } from '../wire/heads.js';
import type { ServerConnection } from './connection.js';

/** What an exchange needs of its connection. */
export interface ExchangeHost {
  readonly connection: ServerConnection;
  /** The peer of every request on the connection (protocol, address, principal), frozen. */
  readonly peer: Peer;
  readonly maxBodyBytes: number;
  /** Reports a failure the client only sees as a cancelled stream (a response body that failed). */
  report(error: unknown, where: string): void;
}

/** Answers a stream at once, without a handler: a refused request. */
export function refuseStream(
  host: ExchangeHost,
  id: number,
  status: Status,
  message: string,
  bodyFollows: boolean,
) {
  const connection = host.connection;
  connection.send(
    encodeHeadFrame(
      FRAME.HEADERS,
      id,
      { status: WS_STATUS_MAP.toWire(status) },
      new TextEncoder().encode(message),
      true,
    ),
  );
  if (bodyFollows) connection.send(encodeText(FRAME.CANCEL, id, 'the request body is not needed'));
}

/**
 * One request being served on a connection: its body arriving in `DATA` frames, the handler,
 * and the response going back, each way within the stream's credit. Its signal aborts when the
 * client sends `CANCEL`, at the caller's deadline, or when the server cuts requests off.
 */
export class Exchange implements ResponseSink {
  readonly #host: ExchangeHost;
  readonly #id: number;
  /** A `HEAD` request: its response is sent without its body. */
  readonly #head: boolean;
  /** Credit for a response body that streams (none for one sent whole in `HEADERS`). */
  #outflow: Outflow | undefined;
  readonly #inflow: Inflow | undefined;
  readonly #timeoutMs: number | undefined;
  #controller: AbortController | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #abortReason: ParleyError | undefined;
  #received = 0;
  /** Body bytes received and not yet taken by the handler (given back as credit). */
  #unread = 0;
  /** When body bytes last arrived (ms), to find a stalled upload (set once a body streams). */
  #lastData = 0;
  #requestEnded: boolean;
  #answered = false;
  #finished = false;

  /** `headers` are the head's fields, read once by the connection. */
  constructor(
    host: ExchangeHost,
    id: number,
    head: RequestHead,
    headers: HeaderMap,
    inline: Uint8Array,
    end: boolean,
  ) {
    this.#host = host;
    this.#id = id;
    this.#head = head.method === 'HEAD';
    this.#requestEnded = end;
    this.#timeoutMs = head.timeout;
    const connection = host.connection;
    const declared = declaredLength(headers);
    let body: Body;
    if (end) {
      const mismatch = lengthMismatch(declared, inline.byteLength, true);
      if (mismatch !== undefined) {
        this.#respond(respondError(mismatch), false);
        return;
      }
      body = Body.from(inline);
    } else {
      const inflow = new Inflow(
        (bytes) => {
          this.#taken(bytes);
          connection.send(encodeCredit(id, bytes));
        },
        () => undefined, // The handler stopped reading: the client is told once the response is sent.
        declared,
      );
      this.#inflow = inflow;
      body = Body.from(inflow, declared?.bytes);
      this.data(inline, false);
      // Bytes inlined past maxBodyBytes (under a smaller content-length): answered `too_large`.
      if (this.#finished) return;
    }
    let request: Request;
    try {
      request = createRequest({
        method: head.method,
        path: head.path,
        query: head.query ?? '',
        headers,
        body,
        signal: () => this.#signal(),
        deadline: head.timeout === undefined ? undefined : Date.now() + head.timeout,
        peer: host.peer,
      });
    } catch (error) {
      // A path the contract refuses (a NUL, a control character): answered on its stream.
      this.#respond(respondError(error), false);
      return;
    }
    connection.serve(request, this);
  }

  /** The handler's response (or its failure as a response), once: sent on the stream. */
  respond(response: Response): void {
    this.#respond(response, this.#head);
  }

  /** Whether the response has been sent whole, or the exchange was cut off. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Body bytes from a `DATA` frame (or inlined in `HEADERS`). */
  data(chunk: Uint8Array, end: boolean): void {
    const inflow = this.#inflow;
    if (inflow === undefined || this.#requestEnded) return;
    this.#received += chunk.byteLength;
    this.#lastData = Date.now();
    if (this.#received > this.#host.maxBodyBytes) {
      this.#tooLarge();
      return;
    }
    if (!inflow.push(chunk)) {
      this.#host.connection.violated('the client sent more than its credit');
      return;
    }
    if (chunk.byteLength > 0 && !inflow.ended) {
      this.#unread += chunk.byteLength;
      this.#host.connection.countUnread(chunk.byteLength);
    }
    if (end && !this.#requestEnded) {
      this.#requestEnded = true;
      inflow.end();
    }
  }

  /**
   * Fails the handler's read of the request body with `timeout` when it has waited, with credit
   * given, for body bytes that did not come since `before` (ms): a client that stops mid-upload
   * would otherwise hold the handler (and whatever it holds, such as a file's lock) for good.
   */
  expireStalledBody(before: number, idleMs: number): void {
    const inflow = this.#inflow;
    if (inflow === undefined || this.#requestEnded || this.#lastData >= before) return;
    const starvedSince = inflow.starvedSince;
    if (starvedSince === undefined || starvedSince >= before) return;
    inflow.end(new ParleyError('timeout', `No request body bytes arrived for ${idleMs} ms`));
  }

  /** Body bytes received and not yet taken by the handler. */
  get unread(): number {
    return this.#unread;
  }

  /**
   * The connection (or the listener) holds too many unread body bytes and this request the most
   * of its connection: answered `too_many_requests` with `message` (unless already answered), its
   * unread bytes dropped, the handler's read fails.
   */
  refuseUnread(message: string): void {
    const error = new ParleyError('too_many_requests', message);
    this.#requestEnded = true;
    this.#inflow?.drop(error);
    this.#taken(this.#unread);
    this.#respond(respond('too_many_requests', error.message), false);
  }

  /** Counts body bytes out of the unread ones: the handler took them, or they were dropped. */
  #taken(bytes: number): void {
    const taken = Math.min(bytes, this.#unread);
    if (taken <= 0) return;
    this.#unread -= taken;
    this.#host.connection.countUnread(-taken);
  }

  /** Credit for the response body. */
  grant(bytes: number): void {
    this.#outflow?.grant(bytes);
  }

  /** The client gave up (`CANCEL`): the handler's signal aborts and nothing more is sent. */
  cancel(): void {
    this.cutOff(new ParleyError('cancelled', 'The client cancelled the request'));
  }

  /** Ends the exchange without an answer: its signal aborts with `reason`. */
  cutOff(reason: ParleyError): void {
    this.#requestEnded = true;
    this.#inflow?.end(reason);
    this.#abort(reason);
    this.#finish();
  }

  #signal(): AbortSignal {
    const controller = new AbortController();
    this.#controller = controller;
    if (this.#abortReason !== undefined) controller.abort(this.#abortReason);
    else if (this.#timeoutMs !== undefined && !this.#finished) this.#armDeadline(this.#timeoutMs);
    return controller.signal;
  }

  /**
   * Aborts the signal with `timeout` once `leftMs` have passed: a delay longer than a timer
   * takes (which Node.js would fire after 1 ms) is waited for in steps.
   */
  #armDeadline(leftMs: number): void {
    const step = timerDelay(leftMs);
    this.#timer = setTimeout(() => {
      if (leftMs > step) this.#armDeadline(leftMs - step);
      else this.#abort(new ParleyError('timeout', `The caller's deadline of ${this.#timeoutMs} ms passed`));
    }, step);
  }

  #abort(reason: ParleyError): void {
    this.#abortReason ??= reason;
    this.#controller?.abort(reason);
  }

  /** The body grew past the limit: answered `too_large` at once, and the handler's read fails. */
  #tooLarge(): void {
    const limit = this.#host.maxBodyBytes;
    const error = new ParleyError('too_large', `The request body is larger than the limit of ${limit} bytes`);
    this.#requestEnded = true;
    this.#inflow?.end(error);
    this.#respond(respond('too_large', error.message), false);
  }

  #respond(response: Response, head: boolean): void {
    const body = response.body;
    if (this.#answered || this.#finished || this.#host.connection.closed) {
      void body.cancel();
      return;
    }
    this.#answered = true;
    const connection = this.#host.connection;
    const json = responseHeadJson(response);
    const inline = head ? '' : inlineBody(body);
    if (inline !== undefined) {
      if (head) void body.cancel();
      // The whole exchange's writes when the request has ended (else a CANCEL follows).
      connection.send(encodeJsonHeadFrame(FRAME.HEADERS, this.#id, json, inline, true), this.#requestEnded);
      this.#finish();
      return;
    }
    connection.send(encodeJsonHeadFrame(FRAME.HEADERS, this.#id, json, undefined, false));
    const outflow = new Outflow();
    this.#outflow = outflow;
    pumpBody(connection, this.#id, outflow, body).then(
      () => this.#finish(),
      (error: unknown) => {
        this.#host.report(error, 'WebSocket: writing a response body');
        connection.send(encodeText(FRAME.CANCEL, this.#id, 'the response body failed'));
        this.#finish();
      },
    );
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#outflow?.stop();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const connection = this.#host.connection;
    this.#taken(this.#unread);
    if (!this.#requestEnded) {
      this.#requestEnded = true;
      this.#inflow?.end(
        new ParleyError('cancelled', 'The response was sent before the request body was read'),
      );
      if (this.#answered)
        connection.send(encodeText(FRAME.CANCEL, this.#id, 'the request body is not needed'));
    }
    connection.finished(this.#id, this);
  }
}

/** The JSON heads of responses without header fields, by status (most responses carry none). */
const bareHeads = new Map<Status, string>();

/** A response's JSON head: its status and header fields. */
function responseHeadJson(response: Response): string {
  const status = response.status;
  if (response.headers.size > 0)
    return JSON.stringify({ status: WS_STATUS_MAP.toWire(status), headers: fieldsOf(response.headers) });
  let json = bareHeads.get(status);
  if (json === undefined) {
    json = JSON.stringify({ status: WS_STATUS_MAP.toWire(status) });
    bareHeads.set(status, json);
  }
  return json;
}

/** The declared length of a request body, when its `content-length` field is a valid number. */
function declaredLength(headers: HeaderMap): DeclaredLength | undefined {
  const bytes = contentLength(headers);
  return bytes === undefined ? undefined : { bytes, status: 'bad_request', whose: 'request' };
}
