import { parseArgs } from 'node:util';
import { isMethod, type Method, ParleyError } from '@parley/core';

/** A parsed command line of the `parley` command. */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'contract'; readonly url: string }
  | RequestCommand;

/** `parley <method> <url> <path>`: one request. */
export interface RequestCommand {
  /** Discriminates the kinds of {@link Command}. */
  readonly kind: 'request';
  /** The method. */
  readonly method: Method;
  /** The transport URL (scheme, host, port, credentials, MQTT service prefix). */
  readonly url: string;
  /** The request path. */
  readonly path: string;
  /** The body: text from `--data`, or a file path (`-` for stdin) from `--file`. */
  readonly body: { readonly text: string } | { readonly file: string } | undefined;
  /** Header fields from `--header 'name: value'`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The call's timeout in ms, from `--timeout`. */
  readonly timeoutMs: number | undefined;
}

/** The help text of the `parley` command. */
export const USAGE = `Usage:
  parley <get|head|put|post|delete|list> <url> <path> [options]
  parley contract <url>        what the URL's transport carries
  parley help

<url> picks the transport by its scheme: http(s)://, ftp(s)://, smtp(s)://, mqtt(s)://
(credentials go in the URL: ftp://demo:demo@127.0.0.1:2121; MQTT takes the service prefix
as its path: mqtt://127.0.0.1:1883/notes-service).

Options:
  -d, --data <text>         request body from text
  -f, --file <path>         request body from a file ('-' reads stdin)
  -H, --header <name: value> header field (repeatable)
  -t, --timeout <ms>        time allowed for the call (default 30000)

Exit codes: 0 success, 1 the peer answered with a failure, 2 bad usage,
3 no answer (unreachable, timed out), 4 the transport does not carry the operation.`;

/** Parses the arguments of the `parley` command (without `node` and the script). */
export function parseCommand(argv: readonly string[]): Command {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      data: { type: 'string', short: 'd' },
      file: { type: 'string', short: 'f' },
      header: { type: 'string', short: 'H', multiple: true },
      timeout: { type: 'string', short: 't' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [verb, url, path] = positionals;
  if (values.help || verb === undefined || verb === 'help') return { kind: 'help' };
  if (verb === 'contract') return { kind: 'contract', url: required(url, 'a URL') };
  const method = verb.toUpperCase();
  if (!isMethod(method)) throw new ParleyError('bad_request', `Unknown command "${verb}"`);
  if (values.data !== undefined && values.file !== undefined) {
    throw new ParleyError('bad_request', 'Give --data or --file, not both');
  }
  return {
    kind: 'request',
    method,
    url: required(url, 'a URL'),
    path: required(path, 'a path'),
    body:
      values.data !== undefined
        ? { text: values.data }
        : values.file !== undefined
          ? { file: values.file }
          : undefined,
    headers: parseHeaders(values.header ?? []),
    timeoutMs: values.timeout === undefined ? undefined : parseTimeout(values.timeout),
  };
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new ParleyError('bad_request', `Missing ${what}`);
  return value;
}

function parseHeaders(fields: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) throw new ParleyError('bad_request', `A header is "name: value", not "${field}"`);
    headers[field.slice(0, colon).trim()] = field.slice(colon + 1).trim();
  }
  return headers;
}

function parseTimeout(text: string): number {
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms <= 0)
    throw new ParleyError('bad_request', `--timeout takes a positive number of ms, not "${text}"`);
  return ms;
}
