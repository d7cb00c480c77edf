/** Node.js's `Buffer`, where there is one (not in browsers). */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

/**
 * Bytes to hand MQTT.js for a PUBLISH (payload, correlation data), as a Node.js `Buffer` where
 * there is one: a view on the same memory, nothing copied. MQTT.js copies every QoS 1 and 2
 * PUBLISH it stores until acknowledged, and it copies a `Buffer` by its bytes into Node's
 * buffer pool, but any other `Uint8Array` by a copy of its whole `ArrayBuffer` into memory of
 * its own (allocated outside the heap and freed by the garbage collector). In browsers the
 * bytes are handed as they are (MQTT.js's `Buffer` there is a `Uint8Array`).
 */
export function publishBytes(bytes: Uint8Array): Buffer {
  if (NodeBuffer === undefined || NodeBuffer.isBuffer(bytes)) return bytes as Buffer;
  return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A correlation id as the UTF-8 bytes MQTT.js takes: a `Buffer` from Node's pool where there is
 * one (no memory of its own for a few bytes), else the encoder's bytes.
 */
export function correlationBytes(id: string, encode: (text: string) => Uint8Array): Buffer {
  return (NodeBuffer === undefined ? encode(id) : NodeBuffer.from(id, 'utf8')) as Buffer;
}

/**
 * New bytes of `length` to fill whole and publish: a `Buffer` from Node's pool where there is one.
 * A small `Uint8Array` of its own lives in the JavaScript heap until something asks for its
 * `ArrayBuffer`, as {@link publishBytes} must, and that moves it to memory of its own (an
 * allocation and a copy per message); a pooled `Buffer` needs neither. Its bytes are not zeroed.
 */
export function newPublishBytes(length: number): Uint8Array {
  return NodeBuffer === undefined ? new Uint8Array(length) : NodeBuffer.allocUnsafe(length);
}
