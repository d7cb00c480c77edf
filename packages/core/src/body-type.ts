import type { Body } from './body.js';
import { HeaderMap, type HeadersInit } from './headers.js';

/**
 * The header fields of a message with this body: `headers` as a map, with the body's media type
 * (see {@link Body.type}) as `content-type` when the fields name none. A map given is not changed:
 * a copy gets the field.
 */
export function headersWithBodyType(headers: HeadersInit | undefined, body: Body): HeaderMap {
  const fields = headers instanceof HeaderMap ? headers : new HeaderMap(headers);
  const type = body.type;
  if (type === undefined || fields.has('content-type')) return fields;
  return (fields === headers ? new HeaderMap(fields) : fields).set('content-type', type);
}
