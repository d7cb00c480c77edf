import type { HeaderMap } from '@parley/core';

/**
 * What MQTT's UTF-8 strings (topics, user properties) may not hold: U+0000, which MQTT forbids,
 * and what MQTT 5 (section 1.5.4) lets a receiver close the connection for, as mosquitto does:
 * control characters (tab included) and Unicode non-characters.
 */
const NOT_MQTT_TEXT =
  /[\u0000-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff]|[\ud83f\ud87f\ud8bf\ud8ff\ud93f\ud97f\ud9bf\ud9ff\uda3f\uda7f\udabf\udaff\udb3f\udb7f\udbbf\udbff][\udffe\udfff]/;

/**
 * Whether a topic or user property can hold `text` without a broker closing the connection.
 *
 * @param text - the string to check
 */
export function isMqttText(text: string): boolean {
  return !NOT_MQTT_TEXT.test(text);
}

/**
 * Whether every header field can travel as an MQTT 5 user property. Fields that cannot (a tab in
 * a value, say) travel in the JSON envelope instead, which carries any field.
 *
 * @param headers - the fields to check
 */
export function fitUserProperties(headers: HeaderMap): boolean {
  if (headers.size === 0) return true;
  let fit = true;
  headers.forEach((value, name) => {
    if (fit && !(isMqttText(value) && isMqttText(name))) fit = false;
  });
  return fit;
}
