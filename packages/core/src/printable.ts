/** C0 control characters but tab, DEL and C1 control characters: what a terminal acts on. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * Bidirectional overrides, embeddings, isolates and marks, invisible characters and the Unicode
 * line and paragraph separators: what reorders, hides or breaks the text around it on a log line.
 */
const SPOOFING = /[\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g;

/**
 * A peer's text made safe to print on one log line: each control character a terminal would act
 * on (a line feed that forges a line, an escape sequence) is written as `\xNN`, and each character
 * that would reorder or hide what follows (a right-to-left override, a zero-width space) or break
 * the line (U+2028) as `\uNNNN`.
 *
 * @param text - text that may come from a peer: a topic, a path, a user name, an error message
 * @returns The text with its control and spoofing characters shown.
 *
 * @example
 * ```ts
 * printable('a\u0000b\nc'); // "a\\x00b\\x0ac"
 * printable('invoice\u202etxt.exe'); // "invoice\\u202etxt.exe"
 * ```
 */
export function printable(text: string): string {
  return text
    .replace(CONTROLS, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(SPOOFING, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
