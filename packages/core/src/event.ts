import type { Body } from './body.js';
import type { HeaderMap } from './headers.js';

/** A message pushed on a path, outside any request (server push). */
export interface ParleyEvent {
  /** The path it was published on. */
  readonly path: string;
  /** Header fields, when the transport carries them. */
  readonly headers: HeaderMap;
  /** The payload. */
  readonly body: Body;
}
