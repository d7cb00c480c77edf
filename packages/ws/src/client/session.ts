import {
  Body,
  type HeaderMap,
  ParleyError,
  type ParleyEvent,
  type Request,
  type Response,
  respond,
} from '@parley/core';
import { type AsyncQueue, capturedResolvers, captureResolvers, watchAbort } from '@parley/core/transport';
import { CLOSE, statusFromClose } from '../status-map.js';
import { type DeclaredLength, Inflow, inlineBody, lengthMismatch, Outflow, pumpBody } from '../wire/flow.js';
import {
  decodeCredit,
  decodeFrame,
  decodeHead,
  decodeText,
  encodeCredit,
  encodeHeadFrame,
  encodeJsonHeadFrame,
  encodePlainRequestFrame,
  encodeText,
  FRAME,
  type Frame,
  FrameError,
} from '../wire/frame.js';
import { contentLength, fieldsOf, readEventHead, readResponseHead, requestHeadJson } from '../wire/heads.js';
import { StreamTable } from '../wire/stream-table.js';
import type { ClientSocket } from './socket.js';

/** One request on the connection: its answer, its upload and its download. */
interface Call {
  readonly id: number;
  readonly request: Request;
  readonly resolve: (response: Response) => void;
  readonly reject: (error: ParleyError) => void;
  /** Credit for a request body that streams (none for one sent whole in `HEADERS`). */
  outflow: Outflow | undefined;
  /** Stops watching the call's deadline and its caller's abort. */
  unwatch: (() => void) | undefined;
  inflow: Inflow | undefined;
  answered: boolean;
  /** The request body is sent whole (or stopped). */
  uploaded: boolean;
  /** The response body arrived whole (or was given up). */
  downloaded: boolean;
}

/**
 * One client connection: requests multiplexed by stream id, flow-controlled bodies both ways,
 * and event subscriptions. Works over any {@link ClientSocket}, in Node.js and browsers alike.
 */
export class ClientSession {
  readonly #socket: ClientSocket;
  readonly #calls = new StreamTable<Call>();
  readonly #subscriptions = new Map<number, AsyncQueue<ParleyEvent>>();
  readonly #onRetire: (session: ClientSession) => void;
  #next = 0;
  #draining = false;
  #closed: ParleyError | undefined;

  /** `onRetire` is called when the session stops taking new requests (GOAWAY), and when it closes. */
  constructor(socket: ClientSocket, onRetire: (session: ClientSession) => void) {
    this.#socket = socket;
    this.#onRetire = onRetire;
    socket.onFrame = (bytes) => this.#receive(bytes);
    socket.inFlight = () => this.#calls.size;
    socket.onClose = (code, reason) => this.#lost(code, reason);
  }

  /** Whether new requests may go on this connection. */
  get usable(): boolean {
    return !this.#draining && this.#closed === undefined;
  }

  /** Whether the connection has closed. */
  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /**
   * Sends a request on a new stream and resolves with the response head (its body streams on).
   * When the call is aborted (its deadline, or its caller), the server gets `CANCEL` and the
   * call fails.
   */
  send(request: Request): Promise<Response> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    const id = this.#nextId();
    const answer = new Promise<Response>(captureResolvers);
    const call: Call = {
      id,
      request,
      resolve: capturedResolvers.resolve as (response: Response) => void,
      reject: capturedResolvers.reject as (error: ParleyError) => void,
      outflow: undefined,
      unwatch: undefined,
      inflow: undefined,
      answered: false,
      uploaded: false,
      downloaded: false,
    };
    capturedResolvers.resolve = undefined;
    capturedResolvers.reject = undefined;
    this.#calls.set(id, call);
    try {
      call.unwatch = watchAbort(request, (failure) => this.#abort(call, failure));
      if (this.#calls.get(id) === call) this.#sendRequest(id, call, request);
    } catch (error) {
      this.#settle(id, call, ParleyError.from(error));
    }
    return answer;
  }

  /** Subscribes to events on paths matching `pattern`, delivered into `queue`. */
  subscribe(pattern: string, queue: AsyncQueue<ParleyEvent>): () => void {
    if (this.#closed !== undefined) {
      queue.end(this.#closed);
      return () => {};
    }
    const id = this.#nextId();
    this.#subscriptions.set(id, queue);
    this.#socket.send(encodeText(FRAME.SUBSCRIBE, id, pattern));
    return () => {
      if (!this.#subscriptions.delete(id) || this.#closed !== undefined) return;
      this.#socket.send(encodeText(FRAME.UNSUBSCRIBE, id));
      this.#closeIfIdle();
    };
  }

  /** Publishes an event to the server, which hands it to every matching subscription. */
  publish(path: string, body: Uint8Array, headers: HeaderMap): void {
    if (this.#closed !== undefined) throw this.#closed;
    this.#socket.send(encodeHeadFrame(FRAME.EVENT, 0, { path, headers: fieldsOf(headers) }, body));
  }

  /** Closes the connection; requests in flight fail with `error`. */
  close(error: ParleyError): void {
    if (this.#closed !== undefined) return;
    this.#fail(error);
    this.#socket.close(CLOSE.normal, 'client closed');
  }

  #nextId(): number {
    this.#next = this.#next >= 0xffffffff ? 1 : this.#next + 1;
    return this.#next;
  }

  #sendRequest(id: number, call: Call, request: Request): void {
    const query = request.query.size > 0 ? request.query.toString() : '';
    const timeout = request.deadline === undefined ? undefined : Math.max(0, request.deadline - Date.now());
    const body = request.body;
    const inline = inlineBody(body);
    const plain =
      query === '' && request.headers.size === 0
        ? encodePlainRequestFrame(
            id,
            request.method,
            request.path,
            timeout,
            inline ?? '',
            inline !== undefined,
          )
        : undefined;
    const frame =
      plain ??
      encodeJsonHeadFrame(
        FRAME.HEADERS,
        id,
        requestHeadJson(request.method, request.path, query, fieldsOf(request.headers), timeout),
        inline,
        inline !== undefined,
      );
    if (inline !== undefined) {
      call.uploaded = true;
      this.#socket.send(frame, true);
      return;
    }
    this.#socket.send(frame);
    const outflow = new Outflow();
    call.outflow = outflow;
    pumpBody(this.#socket, id, outflow, body).then(
      () => this.#uploaded(id, call),
      (error: unknown) => {
        this.#socket.send(encodeText(FRAME.CANCEL, id, 'the request body failed'));
        this.#settle(id, call, ParleyError.from(error));
      },
    );
  }

  #receive(bytes: Uint8Array): void {
    try {
      const frame = decodeFrame(bytes);
      if (frame.type === FRAME.EVENT) this.#event(frame);
      else if (frame.type === FRAME.GOAWAY) this.#goAway();
      else if (frame.type === FRAME.CANCEL && this.#subscriptions.has(frame.id)) this.#refused(frame);
      else this.#streamFrame(frame);
    } catch (error) {
      const reason = error instanceof FrameError ? error.message : 'a frame could not be read';
      this.#socket.close(CLOSE.protocolError, reason.slice(0, 120));
    }
  }

  #streamFrame(frame: Frame): void {
    const call = this.#calls.get(frame.id);
    if (call === undefined) return; // A frame for a stream this side already ended.
    switch (frame.type) {
      case FRAME.HEADERS:
        this.#answer(frame, call);
        return;
      case FRAME.DATA:
        if (call.inflow === undefined) throw new FrameError('DATA before HEADERS');
        if (!call.inflow.push(frame.payload)) {
          this.#socket.close(CLOSE.policy, 'the server sent more than its credit');
          return;
        }
        if (frame.end) {
          call.inflow.end();
          this.#downloaded(frame.id, call);
        }
        return;
      case FRAME.CREDIT:
        call.outflow?.grant(decodeCredit(frame.payload));
        return;
      case FRAME.CANCEL:
        this.#cancelled(frame, call);
        return;
    }
  }

  #answer(frame: Frame, call: Call): void {
    if (call.answered) throw new FrameError('a second HEADERS frame on one stream');
    const { head, body } = decodeHead(frame);
    const { status, headers } = readResponseHead(head);
    call.answered = true;
    // A response to HEAD declares the length of a body it does not carry.
    const declared = call.request.method === 'HEAD' ? undefined : declaredLength(headers);
    if (frame.end) {
      const mismatch = lengthMismatch(declared, body.byteLength, true);
      if (mismatch === undefined) call.resolve(respond(status, body, headers));
      else call.reject(mismatch);
      this.#downloaded(frame.id, call);
      return;
    }
    const id = frame.id;
    const inflow = new Inflow(
      (bytes) => this.#socket.send(encodeCredit(id, bytes)),
      () => {
        if (call.downloaded) return;
        this.#socket.send(encodeText(FRAME.CANCEL, id, 'the response body was not read'));
        this.#settle(id, call, undefined);
      },
      declared,
    );
    call.inflow = inflow;
    inflow.push(body);
    call.resolve(respond(status, Body.from(inflow, declared?.bytes), headers));
  }

  /** The server stopped the stream: the upload stops; without a response, the call fails. */
  #cancelled(frame: Frame, call: Call): void {
    call.outflow?.stop();
    call.uploaded = true;
    const reason = decodeText(frame.payload) || 'the server cancelled the request';
    if (!call.answered || !call.downloaded)
      this.#settle(frame.id, call, new ParleyError('cancelled', reason, { retryable: false }));
    else this.#forget(frame.id, call);
  }

  /** The call was aborted: the server is told (when it heard of the call) and the call fails. */
  #abort(call: Call, failure: ParleyError): void {
    const id = call.id;
    if (this.#calls.get(id) !== call) return;
    const sent = call.uploaded || call.outflow !== undefined;
    if (sent && this.#closed === undefined)
      this.#socket.send(encodeText(FRAME.CANCEL, id, 'the caller gave up'));
    this.#settle(id, call, failure);
  }

  #uploaded(id: number, call: Call): void {
    call.uploaded = true;
    if (call.downloaded) this.#forget(id, call);
  }

  #downloaded(id: number, call: Call): void {
    call.downloaded = true;
    if (call.uploaded) this.#forget(id, call);
  }

  /** Ends a call: fails what is still open of it with `error` (when given) and forgets it. */
  #settle(id: number, call: Call, error: ParleyError | undefined): void {
    call.outflow?.stop();
    call.uploaded = true;
    call.downloaded = true;
    if (error !== undefined) {
      if (!call.answered) call.reject(error);
      call.inflow?.end(error);
    }
    this.#forget(id, call);
  }

  #forget(id: number, call: Call): void {
    if (this.#calls.get(id) !== call) return;
    this.#calls.delete(id);
    call.unwatch?.();
    this.#closeIfIdle();
  }

  #event(frame: Frame): void {
    const queue = this.#subscriptions.get(frame.id);
    if (queue === undefined) return;
    const { head, body } = decodeHead(frame);
    const { path, headers } = readEventHead(head);
    queue.push({ path, headers, body: Body.from(body.slice()) });
  }

  /** The server refused a subscription (a bad pattern, or too many). */
  #refused(frame: Frame): void {
    const queue = this.#subscriptions.get(frame.id);
    this.#subscriptions.delete(frame.id);
    queue?.end(new ParleyError('bad_request', decodeText(frame.payload) || 'The subscription was refused'));
  }

  #goAway(): void {
    if (this.#draining) return;
    this.#draining = true;
    this.#onRetire(this);
    this.#closeIfIdle();
  }

  #closeIfIdle(): void {
    if (
      this.#draining &&
      this.#calls.size === 0 &&
      this.#subscriptions.size === 0 &&
      this.#closed === undefined
    )
      this.close(new ParleyError('unavailable', 'The connection was retired'));
  }

  #lost(code: number, reason: string): void {
    if (this.#closed !== undefined) return;
    const status = statusFromClose(code);
    const text = reason === '' ? `The connection closed (code ${code})` : `The connection closed: ${reason}`;
    this.#fail(new ParleyError(status, text));
  }

  #fail(error: ParleyError): void {
    this.#closed = error;
    this.#onRetire(this);
    for (const [id, call] of this.#calls.entries()) this.#settle(id, call, error);
    for (const queue of this.#subscriptions.values()) queue.end(error);
    this.#subscriptions.clear();
  }
}

/** The declared length of a response body, when its `content-length` field is a valid number. */
function declaredLength(headers: HeaderMap): DeclaredLength | undefined {
  const bytes = contentLength(headers);
  return bytes === undefined ? undefined : { bytes, status: 'unavailable', whose: 'response' };
}
