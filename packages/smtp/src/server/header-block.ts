import { headerFieldList, headerFieldValue, headerFieldValues, withoutField } from '../mail-headers.js';

/** The field a decoded message's header block no longer has: its content is handed over decoded. */
const ENCODING = 'content-transfer-encoding';
/** The fields the server reads of every message (the content's encoding, the reply's message id). */
const SERVER_FIELDS = [ENCODING, 'message-id'] as const;

/**
 * A message's header block as received, split into fields only when they are asked for: most
 * handlers never read a message's fields, and the server itself needs only two of them (the
 * encoding of the content, the message id of the reply), which are found together in one pass
 * without a list.
 */
export class HeaderBlock {
  /** The header block's text, without the blank line that ends it. */
  readonly text: string;
  /** Whether the content is handed over decoded, so that its encoding field is left out. */
  decoded = false;
  /** The values of {@link SERVER_FIELDS}, once looked for. */
  #serverFields: (string | undefined)[] | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /** The fields as `headerFieldList` lists them, without the encoding field when `decoded`. */
  fields(): string[] {
    const fields = headerFieldList(this.text);
    return this.decoded ? withoutField(fields, ENCODING) : fields;
  }

  /** The value of one field (`name` in lower case), repeats joined with `, `, as in {@link fields}. */
  value(name: string): string | undefined {
    if (name === ENCODING) return this.decoded ? undefined : this.#serverField(0);
    if (name === SERVER_FIELDS[1]) return this.#serverField(1);
    return headerFieldValue(this.text, name);
  }

  #serverField(index: number): string | undefined {
    this.#serverFields ??= headerFieldValues(this.text, SERVER_FIELDS);
    return this.#serverFields[index];
  }
}
