/**
 * Byte helpers on web platform APIs only, so the client side runs in browsers too (MQTT.js
 * hands out Buffers there as well, but this package never needs Node's `Buffer` itself).
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The UTF-8 bytes of a string. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Writes the UTF-8 bytes of a string at the start of `target` (which must have room for them). */
export function utf8Into(text: string, target: Uint8Array): void {
  encoder.encodeInto(text, target);
}

/** The UTF-8 text of bytes. */
export function utf8Text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** The length of a string's UTF-8 encoding; ASCII strings (topics, mostly) are not encoded. */
export function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return encoder.encode(text).byteLength;
  }
  return text.length;
}

/** Whether `bytes` starts with `prefix`. */
export function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.byteLength < prefix.byteLength) return false;
  for (let i = 0; i < prefix.byteLength; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}
