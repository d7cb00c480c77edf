import type { Authenticate, Listener, Transport } from '@parley/core';
import { ftp } from '@parley/ftp';
import { http } from '@parley/http';
import { mqtt } from '@parley/mqtt';
import { smtp } from '@parley/smtp';
import { ws } from '@parley/ws';
import type { NotesConfig } from './config.js';

/** The MQTT service prefix used when `PARLEY_MQTT_URL` names none. */
export const MQTT_PREFIX = 'notes-service';

/** The path of the WebSocket endpoint on the HTTP port. */
export const WS_PATH = '/parley';

/** Formats a host for a URL (IPv6 addresses in brackets). */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The HTTP transport the service listens on. */
export function httpServerTransport(config: NotesConfig, maxBodyBytes: number): Transport {
  return http(`http://${urlHost(config.host)}:${config.httpPort}`, { maxBodyBytes });
}

/**
 * The WebSocket transport the service listens on: upgrades on {@link WS_PATH} of the HTTP
 * listener's port (`ws://127.0.0.1:8080/parley`), every other request stays HTTP's.
 */
export function wsServerTransport(
  config: NotesConfig,
  httpListener: Listener,
  maxBodyBytes: number,
): Transport {
  return ws(`ws://${urlHost(config.host)}:${config.httpPort}${WS_PATH}`, {
    attachTo: httpListener,
    maxBodyBytes,
  });
}

/**
 * The FTP transport the service listens on. FTP always asks for the login (`login`), even when
 * the other protocols are open.
 */
export function ftpServerTransport(
  config: NotesConfig,
  login: Authenticate,
  maxBodyBytes: number,
): Transport {
  return ftp(`ftp://${urlHost(config.host)}:${config.ftpPort}`, {
    server: { authenticate: login, anonymous: false, maxBodyBytes },
  });
}

/**
 * The SMTP transport the service listens on. With `PARLEY_REQUIRE_AUTH=1` it takes AUTH on a
 * connection without TLS (the service has no certificate): fit for a local demo only.
 */
export function smtpServerTransport(config: NotesConfig, maxBodyBytes: number): Transport {
  return smtp(`smtp://${urlHost(config.host)}:${config.smtpPort}`, {
    maxBodyBytes,
    allowInsecureAuth: config.requireAuth,
  });
}

/**
 * The MQTT transport the service listens on: on the broker at `brokerUrl` (the embedded one's
 * or `PARLEY_MQTT_URL`), under its service prefix, logging in to the broker when it asks. The
 * embedded broker checks every CONNECT itself; an external one (`PARLEY_MQTT_URL`) must be
 * configured to authenticate its clients (see docs/security.md), which the service trusts.
 */
export function mqttServerTransport(brokerUrl: string, config: NotesConfig): Transport {
  return mqtt(mqttServiceUrl(brokerUrl, config.requireAuth ? config : undefined), {
    brokerAuthenticates: true,
  });
}

/** A broker URL with the service prefix (unless it has one) and, when given, credentials. */
export function mqttServiceUrl(brokerUrl: string, login?: { user: string; password: string }): string {
  const url = new URL(brokerUrl);
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/${MQTT_PREFIX}`;
  if (login !== undefined && url.username === '') {
    url.username = encodeURIComponent(login.user);
    url.password = encodeURIComponent(login.password);
  }
  return url.href;
}
