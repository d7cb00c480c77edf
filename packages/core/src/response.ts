import { Body, type BodyInit } from './body.js';
import { headersWithBodyType } from './body-type.js';
import { ParleyError } from './error.js';
import { HeaderMap, type HeadersInit } from './headers.js';
import { isStatus, isSuccess, type Status } from './status.js';

/** A response of the Parley contract. */
export interface Response {
  /** The protocol-neutral status. */
  readonly status: Status;
  /** Header fields, case-insensitive. */
  readonly headers: HeaderMap;
  /** The body, consumed once. Empty when the transport's replies carry no body. */
  readonly body: Body;
}

/**
 * Builds a {@link Response}. A `Blob` body with a type gives the `content-type` unless `headers`
 * name one.
 *
 * @param status - the status
 * @param body - the body, if any: text, bytes, a Blob or a stream
 * @param headers - the response header fields
 * @returns The response.
 * @throws ParleyError `internal` when a header field cannot be carried (see {@link HeaderMap});
 *   the body is released.
 *
 * @example
 * ```ts
 * return respond('ok', 'hello', { 'content-type': 'text/plain' });
 * ```
 */
export function respond(status: Status, body?: BodyInit, headers?: HeadersInit): Response {
  const content = Body.from(body);
  try {
    return { status, headers: headersWithBodyType(headers, content), body: content };
  } catch (error) {
    // Fields no protocol can carry are the handler's mistake: its body is released, unsent.
    content.cancel().catch(() => undefined);
    throw new ParleyError('internal', `A response cannot be sent: ${ParleyError.from(error).message}`, {
      cause: error,
    });
  }
}

/**
 * Builds a response whose body is `value` as JSON, with `content-type: application/json` unless
 * `headers` name another. The arguments come in the order of {@link respond}.
 *
 * @param status - the status
 * @param value - the value to serialise with `JSON.stringify`
 * @param headers - the response header fields
 * @returns The response.
 *
 * @example
 * ```ts
 * return respondJson('created', { name, size }, { location: `/notes/${name}` });
 * ```
 */
export function respondJson(status: Status, value: unknown, headers?: HeadersInit): Response {
  const fields = new HeaderMap(headers);
  if (!fields.has('content-type')) fields.set('content-type', 'application/json');
  return respond(status, JSON.stringify(value), fields);
}

/**
 * Whether the response's status is a success.
 *
 * @param response - the response
 *
 * @example
 * ```ts
 * const res = await client.get('/notes/a.txt');
 * if (!isOk(res)) throw new Error(`GET failed: ${res.status}`);
 * ```
 */
export function isOk(response: Response): boolean {
  return isSuccess(response.status);
}

/**
 * The response that answers a failure: its status and message.
 *
 * @param error - what was thrown: a ParleyError keeps its status, anything else is `internal`
 * @returns The response.
 *
 * @example
 * ```ts
 * router.get('/notes/:name', async (req) => {
 *   try {
 *     return respond('ok', await store.read(req.params.name));
 *   } catch (error) {
 *     return respondError(error);
 *   }
 * });
 * ```
 */
export function respondError(error: unknown): Response {
  const failure = ParleyError.from(error);
  return respond(failure.status, failure.message);
}

/**
 * Why `value`, what a handler resolved with, is not a {@link Response} a transport can send (an
 * object with a status Parley knows, a `HeaderMap` and a `Body`, as {@link respond} makes), or
 * `undefined` when it is one. Servers answer such a handler with `internal`.
 *
 * @param value - what the handler resolved with
 * @returns The reason, for the error hook, or `undefined`.
 */
export function responseProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) {
    return `The handler returned ${value === null ? 'null' : typeof value}, not a Response: build one with respond()`;
  }
  const { status, headers, body } = value as Partial<Response>;
  if (!isStatus(status)) {
    return `The handler's response has the status ${JSON.stringify(status) ?? 'undefined'}, which is not a Parley status`;
  }
  if (!(headers instanceof HeaderMap) || !(body instanceof Body)) {
    return "The handler's response was not built with respond(): its headers must be a HeaderMap and its body a Body";
  }
  return undefined;
}
