import type { Trace, TraceDirection } from '@parley/core';
import { decodeFrame, decodeHead, decodeText, FRAME, type Frame } from '../wire/frame.js';
import { type ClientSocket, noneInFlight, type OpenSocket } from './socket.js';

const NAMES = new Map(Object.entries(FRAME).map(([name, type]) => [type as number, name]));

/** What a head frame says in a line: a request's method and path, a reply's status, an event's path. */
function headLine(frame: Frame): string {
  const { head, body } = decodeHead(frame);
  const fields = (head ?? {}) as { method?: string; path?: string; status?: string };
  const what = [fields.method, fields.path, fields.status].filter((part) => part !== undefined).join(' ');
  return `${what} body=${body.byteLength}B`;
}

/** One line for a frame: type, id, what it carries, and `END` when it ends its stream. */
export function frameSummary(bytes: Uint8Array): string {
  let frame: Frame;
  try {
    frame = decodeFrame(bytes);
  } catch {
    return `unreadable frame ${bytes.byteLength}B`;
  }
  const name = NAMES.get(frame.type) ?? `type 0x${frame.type.toString(16)}`;
  let detail = `${frame.payload.byteLength}B`;
  try {
    if (frame.type === FRAME.HEADERS || frame.type === FRAME.EVENT) detail = headLine(frame);
    else if (frame.type === FRAME.SUBSCRIBE || frame.type === FRAME.CANCEL)
      detail = decodeText(frame.payload);
  } catch {
    // An unreadable payload is summarised by its size.
  }
  return `${name} id=${frame.id} ${detail}${frame.end ? ' END' : ''}`;
}

/**
 * Wraps a client's connections so each frame sent and received, and the opening and closing,
 * reach `trace` (protocol `ws`, side `client`).
 */
export function tracedOpener(open: OpenSocket, trace: Trace, host: string): OpenSocket {
  return async (signal) => {
    const socket = await open(signal);
    const emit = (direction: TraceDirection, summary: string, bytes?: number): void =>
      trace({ protocol: 'ws', side: 'client', direction, summary, bytes, connection: host });
    emit('info', `connected to ${host}`);
    const traced: ClientSocket = {
      onFrame: () => {},
      inFlight: noneInFlight,
      onClose: () => {},
      send: (bytes, whole) => {
        emit('send', frameSummary(bytes), bytes.byteLength);
        return socket.send(bytes, whole);
      },
      writable: () => socket.writable(),
      close: (code, reason) => socket.close(code, reason),
    };
    socket.onFrame = (bytes) => {
      emit('receive', frameSummary(bytes), bytes.byteLength);
      traced.onFrame(bytes);
    };
    socket.inFlight = () => traced.inFlight();
    socket.onClose = (code, reason) => {
      emit('info', `closed ${code}${reason === '' ? '' : ` ${reason}`}`);
      traced.onClose(code, reason);
    };
    return traced;
  };
}
