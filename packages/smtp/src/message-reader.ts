import type { Readable } from 'node:stream';
import { type HeaderMap, ParleyError } from '@parley/core';
import { Base64Decoder } from './base64-decoder.js';
import { parseHeaderBlock } from './mail-headers.js';

/** A received message split into its top-level header fields and its content. */
export interface OpenedMessage {
  /** The top-level header fields. */
  readonly headers: HeaderMap;
  /** The content (or the whole message when asked for raw), streaming. */
  readonly body: Readable;
}

/** Options of {@link openMessage}. */
export interface OpenMessageOptions {
  /** Largest header block, in bytes. */
  readonly maxHeaderBytes: number;
  /** Keep the header block in the body and the content undecoded. */
  readonly raw: boolean;
}

/**
 * Reads a message's header block as it streams in, then hands back the header fields and
 * the rest of the stream. A `base64` content transfer encoding is undone (and its header
 * dropped) unless `raw` is set; other encodings arrive as sent.
 */
export function openMessage(source: Readable, options: OpenMessageOptions): Promise<OpenedMessage> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stop = (): void => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('error', reject);
      source.pause();
    };
    const finish = (all: Buffer, end: number, bodyStart: number): void => {
      stop();
      const headers = parseHeaderBlock(all.subarray(0, end).toString('utf8'));
      source.unshift(options.raw ? all : all.subarray(bodyStart));
      resolve({ headers, body: options.raw ? source : decoded(source, headers) });
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      const all = chunks.length === 1 ? chunk : Buffer.concat(chunks);
      chunks.length = 0;
      chunks.push(all);
      const found = headerEnd(all);
      if (found !== undefined) finish(all, found.end, found.bodyStart);
      else if (all.byteLength > options.maxHeaderBytes) {
        stop();
        source.destroy();
        reject(
          new ParleyError('bad_request', `The header block is larger than ${options.maxHeaderBytes} bytes`),
        );
      }
    };
    const onEnd = (): void => {
      const all = Buffer.concat(chunks);
      finish(all, all.byteLength, all.byteLength);
    };
    source.on('data', onData);
    source.once('end', onEnd);
    source.once('error', reject);
  });
}

/** Where the header block ends: `end` before the blank line, `bodyStart` after it. */
function headerEnd(all: Buffer): { end: number; bodyStart: number } | undefined {
  if (all[0] === 0x0d && all[1] === 0x0a) return { end: 0, bodyStart: 2 };
  if (all[0] === 0x0a) return { end: 0, bodyStart: 1 };
  const crlf = all.indexOf('\r\n\r\n');
  const lf = all.indexOf('\n\n');
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { end: crlf, bodyStart: crlf + 4 };
  if (lf !== -1) return { end: lf, bodyStart: lf + 2 };
  return undefined;
}

function decoded(source: Readable, headers: HeaderMap): Readable {
  if (headers.get('content-transfer-encoding')?.trim().toLowerCase() !== 'base64') return source;
  headers.delete('content-transfer-encoding');
  const decoder = new Base64Decoder();
  source.once('error', (error) => decoder.destroy(error));
  decoder.once('close', () => {
    if (!source.readableEnded) source.destroy();
  });
  return source.pipe(decoder);
}
