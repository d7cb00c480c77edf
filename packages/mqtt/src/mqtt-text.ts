import type { HeaderMap } from '@parley/core';
import { utf8Length } from './bytes.js';

/**
 * Whether a topic or user property can hold `text` without a broker closing the connection:
 * MQTT forbids U+0000, and MQTT 5 (section 1.5.4) lets a receiver close the connection for
 * control characters (tab included) and Unicode non-characters, as mosquitto does.
 *
 * @param text - the string to check
 */
export function isMqttText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
    if (code < 0xd800) continue;
    const point = text.codePointAt(i) as number;
    if ((point >= 0xfdd0 && point <= 0xfdef) || (point & 0xfffe) === 0xfffe) return false;
    if (point > 0xffff) i++;
  }
  return true;
}

/** The longest string MQTT carries (a two-byte length), in UTF-8 bytes. */
const MAX_STRING_BYTES = 65_535;

/**
 * Whether every header field can travel as an MQTT 5 user property: MQTT text, its name and its
 * value each at most 65 535 UTF-8 bytes (a longer one would make MQTT.js write a broken packet,
 * which ends the connection). Fields that cannot (a tab in a value, say) travel in the JSON
 * envelope instead, which carries any field.
 *
 * @param headers - the fields to check
 */
export function fitUserProperties(headers: HeaderMap): boolean {
  if (headers.size === 0) return true;
  let fit = true;
  headers.forEach((value, name) => {
    if (fit && !(isMqttString(value) && isMqttString(name))) fit = false;
  });
  return fit;
}

/** Whether an MQTT string can carry `text`: MQTT text of at most 65 535 UTF-8 bytes. */
function isMqttString(text: string): boolean {
  // At most 3 UTF-8 bytes per UTF-16 unit: a short string needs no count.
  if (text.length * 3 > MAX_STRING_BYTES && utf8Length(text) > MAX_STRING_BYTES) return false;
  return isMqttText(text);
}
