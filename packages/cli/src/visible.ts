/** C0 control characters but tab, DEL and C1 control characters: what a terminal acts on. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * Bidirectional overrides, embeddings, isolates and marks, and invisible characters: what makes a
 * name look like another one (`invoice\u202Etxt.exe` reads `invoiceexe.txt`), the characters
 * `hasSpoofingCharacters` of `@parley/core` finds beyond control characters.
 */
const SPOOFING = /[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/g;

/**
 * A peer's text made safe to print: each control character a terminal would act on (escape
 * sequences that move the cursor, clear the screen or set the window title; line feeds that
 * forge lines) is written as `\xNN`, and each character that would reorder or hide what follows
 * (a right-to-left override, a zero-width space) as `\uNNNN`.
 *
 * @param text - text from a peer: a listed name, a header field, a line of the dialogue
 * @returns The text with its control and spoofing characters shown.
 *
 * @example
 * ```ts
 * visible('a\u001b[2Jb'); // "a\\x1b[2Jb"
 * visible('invoice\u202etxt.exe'); // "invoice\\u202etxt.exe"
 * ```
 */
export function visible(text: string): string {
  return text
    .replace(CONTROLS, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(SPOOFING, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
