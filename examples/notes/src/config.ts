import { fileURLToPath } from 'node:url';
import { loginProblem } from '@parley/core';

/** The notes service's configuration, read from the environment by {@link readConfig}. */
export interface NotesConfig {
  /** The address every protocol listens on (`PARLEY_HOST`). Default: `127.0.0.1`. */
  readonly host: string;
  /** HTTP port (`PARLEY_HTTP_PORT`). Default: 8080. 0 picks a free port. */
  readonly httpPort: number;
  /** FTP port (`PARLEY_FTP_PORT`). Default: 2121. */
  readonly ftpPort: number;
  /** SMTP port (`PARLEY_SMTP_PORT`). Default: 2525. */
  readonly smtpPort: number;
  /** Port of the embedded MQTT broker (`PARLEY_MQTT_PORT`). Default: 1883. */
  readonly mqttPort: number;
  /** WebSocket port of the embedded MQTT broker (`PARLEY_MQTT_WS_PORT`). Default: 8083. */
  readonly mqttWsPort: number;
  /**
   * An external broker to use instead of the embedded one (`PARLEY_MQTT_URL`), such as
   * `mqtt://127.0.0.1:1883`; a path in it is the service prefix (default `notes-service`). Default: none.
   */
  readonly mqttUrl: string | undefined;
  /** Where notes are stored (`PARLEY_DATA_DIR`); `:memory:` keeps them in memory. Default: `examples/notes/data`. */
  readonly dataDir: string;
  /** The user name of the login (`PARLEY_USER`). Default: `demo`. */
  readonly user: string;
  /** The password of the login (`PARLEY_PASSWORD`). Default: `demo`. */
  readonly password: string;
  /** Whether every protocol asks for the login (`PARLEY_REQUIRE_AUTH=1`); FTP always does. Default: false. */
  readonly requireAuth: boolean;
}

/** A configuration value that cannot be used; the service exits with code 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The value of `PARLEY_DATA_DIR` that keeps notes in memory. */
export const MEMORY_DATA_DIR = ':memory:';

const DEFAULT_DATA_DIR = fileURLToPath(new URL('../data/', import.meta.url));

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the configuration from environment variables, throwing a {@link ConfigError} for a bad value. */
export function readConfig(env: Env = process.env): NotesConfig {
  const user = text(env, 'PARLEY_USER') ?? 'demo';
  const password = text(env, 'PARLEY_PASSWORD') ?? 'demo';
  const problem = loginProblem(user, password);
  if (problem !== undefined) throw new ConfigError(`PARLEY_USER and PARLEY_PASSWORD: ${problem}`);
  return {
    host: text(env, 'PARLEY_HOST') ?? '127.0.0.1',
    httpPort: port(env, 'PARLEY_HTTP_PORT', 8080),
    ftpPort: port(env, 'PARLEY_FTP_PORT', 2121),
    smtpPort: port(env, 'PARLEY_SMTP_PORT', 2525),
    mqttPort: port(env, 'PARLEY_MQTT_PORT', 1883),
    mqttWsPort: port(env, 'PARLEY_MQTT_WS_PORT', 8083),
    mqttUrl: brokerUrl(env, 'PARLEY_MQTT_URL'),
    dataDir: text(env, 'PARLEY_DATA_DIR') ?? DEFAULT_DATA_DIR,
    user,
    password,
    requireAuth: flag(env, 'PARLEY_REQUIRE_AUTH'),
  };
}

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function port(env: Env, name: string, fallback: number): number {
  const value = text(env, name);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new ConfigError(`${name} must be a port number, got "${value}"`);
  const number = Number(value);
  if (number > 65_535) throw new ConfigError(`${name} must be between 0 and 65535, got ${value}`);
  return number;
}

function brokerUrl(env: Env, name: string): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL such as mqtt://127.0.0.1:1883, got "${value}"`);
  }
  if (!['mqtt:', 'mqtts:'].includes(url.protocol) || url.hostname === '') {
    throw new ConfigError(`${name} must be an mqtt:// or mqtts:// URL with a host, got "${value}"`);
  }
  return value;
}

function flag(env: Env, name: string): boolean {
  const value = text(env, name);
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(`${name} must be 1 or 0, got "${value}"`);
}
