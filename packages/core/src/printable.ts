/** C0 control characters but tab, DEL and C1 control characters: what a terminal acts on. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * A peer's text made safe to print on one log line: each control character a terminal would act
 * on (a line feed that forges a line, an escape sequence) is written as `\xNN`.
 *
 * @param text - text that may come from a peer: a topic, a path, an error message
 * @returns The text with its control characters shown.
 *
 * @example
 * ```ts
 * printable('a\u0000b\nc'); // "a\\x00b\\x0ac"
 * ```
 */
export function printable(text: string): string {
  return text.replace(CONTROLS, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
