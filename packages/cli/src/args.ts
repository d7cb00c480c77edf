import { parseArgs } from 'node:util';
import { isMethod, type Method } from '@parley/core';
import { CliError, EXIT } from './exit.js';
import { withValuesGlued } from './option-values.js';
import type { ResumeFrom } from './resume.js';
import type { StartTlsRequest } from './smtp-tls.js';
import { parseTarget, type Target, withoutPassword, withPath } from './target.js';
import { type TlsTrust, tlsTrust } from './tls-trust.js';

/** Where a request's body comes from: text, a file, or stdin (`-`). */
export type BodySource = { readonly text: string } | { readonly file: string };

/** How the command reports: what it shows, where the body goes, how it fails. */
export interface OutputOptions {
  /** `-s`: no progress meter and no error messages. */
  readonly silent: boolean;
  /** `-S`: error messages even with `-s`. */
  readonly showError: boolean;
  /** `-v`: the wire dialogue on stderr. */
  readonly verbose: boolean;
  /** `--trace FILE`: the wire dialogue with payload bytes, to a file. */
  readonly traceFile: string | undefined;
  /** `-i`: the status and header fields before the body. */
  readonly include: boolean;
  /** `-f`: exit 22 without output when the peer answers with a failure. */
  readonly fail: boolean;
  /** `-L`: follow redirects. */
  readonly location: boolean;
  /** `--max-time`, in ms. */
  readonly maxTimeMs: number | undefined;
  /** `-o FILE` (or the remote name with `-O`); stdout when undefined (or `-o -`). */
  readonly outputFile: string | undefined;
}

/** How the command connects: which TLS certificates it trusts (`-k`, `--cacert`), and STARTTLS. */
export interface ConnectOptions {
  /** The trust beyond the system's; `undefined`: the system's alone. */
  readonly tls: TlsTrust | undefined;
  /** `--ssl` (`'try'`) or `--ssl-reqd` (`'required'`): TLS asked for on `smtp://` and `lmtp://`. */
  readonly startTls: StartTlsRequest | undefined;
}

/** One request. */
export interface RequestCommand extends OutputOptions, ConnectOptions {
  /** Discriminates the kinds of {@link Command}. */
  readonly kind: 'request';
  /** The method. */
  readonly method: Method;
  /** Where it goes. */
  readonly target: Target;
  /** The body, if any. */
  readonly body: BodySource | undefined;
  /** Header fields from `-H`. */
  readonly headers: Readonly<Record<string, string>>;
  /** `-C`: resume a download from an offset, or (`-C -`) from the output file's size. */
  readonly resumeFrom: ResumeFrom | undefined;
}

/** `parley subscribe URL PATTERN`: prints events until interrupted. */
export interface SubscribeCommand extends OutputOptions, ConnectOptions {
  /** Discriminates the kinds of {@link Command}. */
  readonly kind: 'subscribe';
  /** The transport (its path is the pattern). */
  readonly target: Target;
}

/** `parley publish URL PATH -d TEXT`: publishes one event. */
export interface PublishCommand extends OutputOptions, ConnectOptions {
  /** Discriminates the kinds of {@link Command}. */
  readonly kind: 'publish';
  /** The transport (its path is the event's path). */
  readonly target: Target;
  /** The event's body. */
  readonly body: BodySource | undefined;
  /** Header fields from `-H`. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A parsed command line of the `parley` command. */
export type Command =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'serve'; readonly argv: readonly string[] }
  | ({ readonly kind: 'contract'; readonly target: Target } & ConnectOptions)
  | RequestCommand
  | SubscribeCommand
  | PublishCommand;

const OPTIONS = {
  request: { type: 'string', short: 'X' },
  data: { type: 'string', short: 'd' },
  'upload-file': { type: 'string', short: 'T' },
  output: { type: 'string', short: 'o' },
  'remote-name': { type: 'boolean', short: 'O' },
  user: { type: 'string', short: 'u' },
  header: { type: 'string', short: 'H', multiple: true },
  head: { type: 'boolean', short: 'I' },
  include: { type: 'boolean', short: 'i' },
  fail: { type: 'boolean', short: 'f' },
  location: { type: 'boolean', short: 'L' },
  silent: { type: 'boolean', short: 's' },
  'show-error': { type: 'boolean', short: 'S' },
  verbose: { type: 'boolean', short: 'v' },
  trace: { type: 'string' },
  'max-time': { type: 'string', short: 'm' },
  'continue-at': { type: 'string', short: 'C' },
  prefix: { type: 'string' },
  insecure: { type: 'boolean', short: 'k' },
  cacert: { type: 'string' },
  ssl: { type: 'boolean' },
  'ssl-reqd': { type: 'boolean' },
  version: { type: 'boolean', short: 'V' },
  help: { type: 'boolean', short: 'h' },
} as const;

const VERBS = new Set(['get', 'head', 'put', 'post', 'delete', 'list']);

/**
 * Parses the arguments of the `parley` command (without `node` and the script).
 *
 * @param argv - the arguments, such as `process.argv.slice(2)`
 * @returns The command they describe.
 *
 * @example
 * ```ts
 * const command = parseCommand(['-T', 'a.txt', 'ftp://demo:demo@127.0.0.1:2121/notes/']);
 * command.kind; // "request"
 * ```
 */
export function parseCommand(argv: readonly string[]): Command {
  if (argv[0] === 'serve') return { kind: 'serve', argv: argv.slice(1) };
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: withValuesGlued(argv, OPTIONS), options: OPTIONS, allowPositionals: true });
  } catch (error) {
    throw new CliError(EXIT.usage, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) return { kind: 'version' };
  const [first, ...rest] = positionals;
  if (values.help || first === 'help') return { kind: 'help' };
  // As curl: nothing to do is a usage error, so a script's empty variable does not pass for success.
  if (first === undefined) throw new CliError(EXIT.usage, 'Missing a URL');
  const output = outputOptions(values);
  const targetOf = (url: string | undefined) =>
    parseTarget(required(url, 'a URL'), { user: values.user, prefix: values.prefix });
  const tls = tlsTrust(values.insecure ?? false, values.cacert);
  const startTls: StartTlsRequest | undefined = values['ssl-reqd']
    ? 'required'
    : values.ssl
      ? 'try'
      : undefined;
  if (first === 'contract') return { kind: 'contract', target: targetOf(rest[0]), tls, startTls };
  const body = bodySource(values.data, values['upload-file']);
  const headers = parseHeaders(values.header ?? []);
  if (first === 'subscribe' || first === 'publish') {
    const target = withPath(
      targetOf(rest[0]),
      required(rest[1], first === 'subscribe' ? 'a pattern' : 'a path'),
    );
    if (first === 'subscribe') return { kind: 'subscribe', target, tls, startTls, ...output };
    return { kind: 'publish', target, body, headers, tls, startTls, ...output };
  }
  const verb = VERBS.has(first.toLowerCase()) ? first.toUpperCase() : undefined;
  const url = verb === undefined ? first : rest[0];
  if (verb === undefined && !first.includes('://'))
    throw new CliError(EXIT.usage, `Unknown command "${withoutPassword(first)}"`);
  let target = targetOf(url);
  const [extraPath, unexpected] = verb === undefined ? rest : rest.slice(1);
  if (unexpected !== undefined) throw new CliError(EXIT.usage, `Unexpected argument "${unexpected}"`);
  // curl fetches each URL it is given; parley takes one, and a URL is no path.
  if (extraPath?.includes('://')) throw new CliError(EXIT.usage, `One URL at a time, not also ${extraPath}`);
  if (extraPath !== undefined) target = withPath(target, extraPath);
  if (values['upload-file'] !== undefined && values['upload-file'] !== '-' && target.path.endsWith('/')) {
    target = withPath(target, `${target.path}${basename(values['upload-file'])}`);
  }
  const method = chooseMethod(verb ?? values.request, values, target);
  const outputFile = values['remote-name'] ? remoteName(target.path) : output.outputFile;
  return {
    kind: 'request',
    method,
    target,
    body,
    headers,
    tls,
    startTls,
    ...output,
    outputFile,
    resumeFrom: resumeFrom(values['continue-at'], method, outputFile),
  };
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function outputOptions(values: Values): OutputOptions {
  return {
    silent: values.silent ?? false,
    showError: values['show-error'] ?? false,
    verbose: values.verbose ?? false,
    traceFile: values.trace,
    include: (values.include ?? false) || (values.head ?? false),
    fail: values.fail ?? false,
    location: values.location ?? false,
    maxTimeMs: values['max-time'] === undefined ? undefined : seconds(values['max-time']),
    // As curl: `-o -` is stdout.
    outputFile: values.output === '-' ? undefined : values.output,
  };
}

/** Schemes that carry mail: an upload (`-T`) to them is the mail, a POST, as in curl. */
const MAIL_SCHEMES = new Set(['smtp', 'smtps', 'lmtp']);

function chooseMethod(wanted: string | undefined, values: Values, target: Target): Method {
  if (wanted !== undefined) {
    const method = wanted.toUpperCase();
    if (!isMethod(method)) throw new CliError(EXIT.usage, `Unknown method "${wanted}"`);
    return method;
  }
  if (values.head) {
    // As curl: a HEAD carries no body.
    if (values.data !== undefined || values['upload-file'] !== undefined)
      throw new CliError(EXIT.usage, 'Give -I or a body (-d, -T), not both');
    return 'HEAD';
  }
  if (values['upload-file'] !== undefined) return MAIL_SCHEMES.has(target.scheme) ? 'POST' : 'PUT';
  if (values.data !== undefined) return 'POST';
  return target.path.endsWith('/') ? 'LIST' : 'GET';
}

function bodySource(data: string | undefined, upload: string | undefined): BodySource | undefined {
  if (data !== undefined && upload !== undefined) throw new CliError(EXIT.usage, 'Give -d or -T, not both');
  if (upload !== undefined) return { file: upload };
  if (data === undefined) return undefined;
  return data.startsWith('@') ? { file: data.slice(1) } : { text: data };
}

function required(value: string | undefined, what: string): string {
  if (value === undefined) throw new CliError(EXIT.usage, `Missing ${what}`);
  return value;
}

function parseHeaders(fields: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon <= 0) throw new CliError(EXIT.usage, `A header is "name: value", not "${field}"`);
    headers[field.slice(0, colon).trim()] = field.slice(colon + 1).trim();
  }
  return headers;
}

/** `-C OFFSET` or `-C -` (the output file's size, so `-o` or `-O` is needed): downloads only. */
function resumeFrom(
  text: string | undefined,
  method: Method,
  outputFile: string | undefined,
): ResumeFrom | undefined {
  if (text === undefined) return undefined;
  if (method !== 'GET') throw new CliError(EXIT.usage, `-C resumes downloads (GET) only, not ${method}`);
  if (text === '-') {
    if (outputFile === undefined)
      throw new CliError(EXIT.usage, '-C - takes the offset from the output file: give -o or -O');
    return 'output';
  }
  if (!/^\d{1,15}$/.test(text)) throw new CliError(EXIT.usage, `-C takes a byte offset or -, not "${text}"`);
  return Number(text);
}

/** `--max-time` in ms; 0 is no limit, as in curl. */
function seconds(text: string): number | undefined {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new CliError(EXIT.usage, `--max-time takes a number of seconds (0: no limit), not "${text}"`);
  }
  return value === 0 ? undefined : Math.ceil(value * 1000);
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

function remoteName(path: string): string {
  const name = path.split('/').pop() ?? '';
  if (name === '' || name === '.' || name === '..') {
    throw new CliError(EXIT.usage, `-O needs a URL ending in a file name, not ${path}`);
  }
  return name;
}
