/** C0 control characters but tab, DEL and C1 control characters: what a terminal acts on. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * A peer's text made safe to print: each control character a terminal would act on (escape
 * sequences that move the cursor, clear the screen or set the window title; line feeds that
 * forge lines) is written as `\xNN`.
 *
 * @param text - text from a peer: a listed name, a header field, a line of the dialogue
 * @returns The text with its control characters shown.
 *
 * @example
 * ```ts
 * visible('a\u001b[2Jb'); // "a\\x1b[2Jb"
 * ```
 */
export function visible(text: string): string {
  return text.replace(CONTROLS, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
