import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loginProblem } from '@parley/core';
import { CliError, EXIT } from '../exit.js';
import { withValuesGlued } from '../option-values.js';

/** A port of `parley serve`, or `undefined` when that protocol is turned off. */
export type Port = number | undefined;

/** The settings of `parley serve`. */
export interface ServeOptions {
  /** The served folder, absolute. */
  readonly root: string;
  /** Whether uploads, appends and deletes are allowed (and a login then required). */
  readonly write: boolean;
  /** The login, required with `write`. */
  readonly login: { readonly user: string; readonly password: string } | undefined;
  /** The address every protocol listens on. */
  readonly host: string;
  /** Host names HTTP and WebSocket requests may name besides `localhost` and IP addresses. */
  readonly allowedHosts: readonly string[];
  /** The ports; `undefined` turns a protocol off. */
  readonly ports: {
    readonly http: Port;
    readonly ftp: Port;
    readonly smtp: Port;
    readonly mqtt: Port;
    readonly mqttWs: Port;
  };
  /** The MQTT service prefix. */
  readonly prefix: string;
  /** The largest upload in bytes, over each transport's default. */
  readonly maxBodyBytes: number | undefined;
  /** No request log. */
  readonly quiet: boolean;
  /** The wire dialogue on stderr. */
  readonly verbose: boolean;
  /** Print the help of `serve`. */
  readonly help: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const PORTS = {
  http: ['http-port', 'PARLEY_HTTP_PORT', 8080],
  ftp: ['ftp-port', 'PARLEY_FTP_PORT', 2121],
  smtp: ['smtp-port', 'PARLEY_SMTP_PORT', 2525],
  mqtt: ['mqtt-port', 'PARLEY_MQTT_PORT', 1883],
  mqttWs: ['mqtt-ws-port', 'PARLEY_MQTT_WS_PORT', 8083],
} as const;

/** Parses the arguments of `parley serve` and the `PARLEY_*` environment variables. */
export function parseServeOptions(argv: readonly string[], env: Env = process.env): ServeOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new CliError(EXIT.usage, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new CliError(EXIT.usage, 'parley serve takes one folder');
  const named = resolve(positionals[0] ?? '.');
  if (!values.help && !isFolder(named)) throw new CliError(EXIT.usage, `Not a folder: ${named}`);
  // DIR named through a symbolic link is served as the folder it names: links are refused
  // inside DIR, not in the name it was given by.
  const root = values.help ? named : realpathSync(named);
  const write = values.write ?? false;
  const user = values.user ?? env.PARLEY_USER;
  const password = values.password ?? env.PARLEY_PASSWORD;
  if (write && !values.help && (!user || !password)) {
    throw new CliError(
      EXIT.usage,
      '--write needs a login: --user and --password (or PARLEY_USER and PARLEY_PASSWORD)',
    );
  }
  if (write && user && password) {
    const problem = loginProblem(user, password);
    if (problem !== undefined) throw new CliError(EXIT.usage, `The login cannot be used: ${problem}`);
  }
  const port = (key: keyof typeof PORTS): Port => {
    const [flag, name, fallback] = PORTS[key];
    const given = values[flag];
    return given === undefined
      ? parsePort(env[name], fallback, name)
      : parsePort(given, fallback, `--${flag}`);
  };
  return {
    root,
    write,
    login: write && user && password ? { user, password } : undefined,
    host: values.host ?? env.PARLEY_HOST ?? '127.0.0.1',
    allowedHosts: values['allow-host'] ?? [],
    ports: {
      http: port('http'),
      ftp: port('ftp'),
      smtp: port('smtp'),
      mqtt: port('mqtt'),
      mqttWs: port('mqttWs'),
    },
    prefix: (values.prefix ?? 'files').replace(/^\/+|\/+$/g, ''),
    maxBodyBytes: values['max-body-bytes'] === undefined ? undefined : byteCount(values['max-body-bytes']),
    quiet: values.silent ?? false,
    verbose: values.verbose ?? false,
    help: values.help ?? false,
  };
}

const SERVE_OPTIONS = {
  write: { type: 'boolean' },
  user: { type: 'string', short: 'u' },
  password: { type: 'string' },
  host: { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  'http-port': { type: 'string' },
  'ftp-port': { type: 'string' },
  'smtp-port': { type: 'string' },
  'mqtt-port': { type: 'string' },
  'mqtt-ws-port': { type: 'string' },
  prefix: { type: 'string' },
  'max-body-bytes': { type: 'string' },
  silent: { type: 'boolean', short: 's' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: readonly string[]) {
  return parseArgs({
    args: withValuesGlued(argv, SERVE_OPTIONS),
    allowPositionals: true,
    options: SERVE_OPTIONS,
  });
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A port given by `source` (`--http-port` or `PARLEY_HTTP_PORT`, named in the message). */
function parsePort(text: string | undefined, fallback: number, source: string): Port {
  if (text === undefined || text.trim() === '') return fallback;
  if (text === 'off') return undefined;
  if (!/^\d+$/.test(text) || Number(text) > 65_535) {
    throw new CliError(EXIT.usage, `${source} takes a port (0 to 65535) or off, not "${text}"`);
  }
  return Number(text);
}

function byteCount(text: string): number {
  const match = /^(\d+)([kmg]i?b?)?$/i.exec(text.trim());
  if (match === null)
    throw new CliError(EXIT.usage, `--max-body-bytes takes a size such as 64M, not "${text}"`);
  const unit = (match[2] ?? '').charAt(0).toLowerCase();
  const scale = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Number(match[1]) * scale;
}
