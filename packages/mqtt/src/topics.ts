import { METHODS, type Method, normalizePath, ParleyError } from '@parley/core';
import { utf8Length } from './bytes.js';
import { isMqttText } from './mqtt-text.js';

/** The longest topic name MQTT carries, in bytes. */
export const MAX_TOPIC_BYTES = 65_535;

/** Characters of a path that are percent-encoded in a topic: `%` itself and MQTT's special ones. */
const SPECIAL = /[%+#?\0]/g;

/** Encodes a path for a topic: `%`, `+`, `#`, `?` and NUL become `%25`, `%2B`, `%23`, `%3F`, `%00`. */
export function encodePath(path: string): string {
  // Most paths have none of these characters: a scan settles them without a regular expression.
  return hasSpecial(path) ? path.replace(SPECIAL, encodeChar) : path;
}

/** Whether a path holds a character {@link encodePath} escapes: `%`, `+`, `#`, `?` or NUL. */
function hasSpecial(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === 37 || code === 43 || code === 35 || code === 63 || code === 0) return true;
  }
  return false;
}

/**
 * Keeps MQTT's wildcards out of a query: a form-encoded query writes a space as `+`, written
 * `%20` here (the same space when parsed back); `#` and NUL become `%23` and `%00`.
 */
function encodeQuery(query: string): string {
  return query.replace(/[+#\0]/g, (char) => (char === '+' ? '%20' : encodeChar(char)));
}

function encodeChar(char: string): string {
  return `%${char.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`;
}

/** Decodes the path part of a topic; a malformed escape is refused with `bad_request`. */
export function decodePath(encoded: string): string {
  if (!encoded.includes('%')) return encoded;
  try {
    return decodeURIComponent(encoded);
  } catch (error) {
    throw new ParleyError('bad_request', `The topic path "${encoded}" has a malformed %-escape`, {
      cause: error,
    });
  }
}

/**
 * The topic a request is published on: `<prefix>/<METHOD>/<path>` (`notes/GET/notes/a.txt`).
 *
 * @param prefix - the service prefix
 * @param method - the method
 * @param path - the path
 * @param query - the query string, without its `?`
 * @returns The topic.
 *
 * @example
 * ```ts
 * requestTopic('notes', 'GET', '/notes/a.txt'); // "notes/GET/notes/a.txt"
 * ```
 */
export function requestTopic(prefix: string, method: Method, path: string, query?: string): string {
  const topic = `${prefix}/${method}${encodePath(path)}${query ? `?${encodeQuery(query)}` : ''}`;
  mqttTopic(topic);
  // At most 3 UTF-8 bytes per UTF-16 unit: a short topic needs no count.
  if (topic.length * 3 > MAX_TOPIC_BYTES && utf8Length(topic) > MAX_TOPIC_BYTES) {
    throw new ParleyError(
      'bad_request',
      `The path is too long for an MQTT topic (${MAX_TOPIC_BYTES} bytes at most)`,
    );
  }
  return topic;
}

/** A request's method and path (with any `?query`) read back from its topic, or `undefined`. */
export function parseRequestTopic(
  prefix: string,
  topic: string,
): { method: Method; path: string } | undefined {
  if (!topic.startsWith(`${prefix}/`)) return undefined;
  const rest = topic.slice(prefix.length + 1);
  const slash = rest.indexOf('/');
  const method = slash === -1 ? rest : rest.slice(0, slash);
  if (!(METHODS as readonly string[]).includes(method)) return undefined;
  const raw = slash === -1 ? '/' : rest.slice(slash);
  const queryStart = raw.indexOf('?');
  const path =
    queryStart === -1 ? decodePath(raw) : `${decodePath(raw.slice(0, queryStart))}${raw.slice(queryStart)}`;
  return { method: method as Method, path };
}

/** The topic filters a server subscribes to: one per method (`<prefix>/GET/#`...). */
export function requestFilters(prefix: string, group: string | undefined): string[] {
  return METHODS.map((method) => `${group === undefined ? '' : `$share/${group}/`}${prefix}/${method}/#`);
}

/**
 * The requester's own reply topic: `<prefix>/reply/<clientId>`.
 *
 * @param prefix - the service prefix
 * @param clientId - the requester's MQTT client id
 * @returns The topic.
 *
 * @example
 * ```ts
 * replyTopic('notes-service', 'client-1'); // "notes-service/reply/client-1"
 * ```
 */
export function replyTopic(prefix: string, clientId: string): string {
  return `${prefix}/reply/${clientId}`;
}

/**
 * Whether a requester's reply topic can be published to: not empty, at most
 * {@link MAX_TOPIC_BYTES} bytes, no wildcard (`+`, `#`), not a broker's own `$` topic, and only
 * characters a broker accepts. A reply to any other topic would make the broker close the
 * server's connection.
 *
 * @param topic - the Response Topic or envelope `replyTo` a request names
 */
export function isReplyTopic(topic: string): boolean {
  return (
    topic.length > 0 &&
    !topic.startsWith('$') &&
    !topic.includes('+') &&
    !topic.includes('#') &&
    isMqttText(topic) &&
    utf8Length(topic) <= MAX_TOPIC_BYTES
  );
}

/**
 * Where the reply to a plain request goes: a message with neither an MQTT 5 Response Topic nor
 * an envelope (`mosquitto_pub`, or `mosquitto_rr -V 311`) is answered on
 * `<prefix>/reply/<METHOD><path>` (`notes/reply/GET/notes/a.txt`), the raw body as payload.
 *
 * @param prefix - the service prefix
 * @param requestTopic - the topic the request came on
 * @returns The topic.
 *
 * @example
 * ```ts
 * plainReplyTopic('notes', 'notes/GET/notes/a.txt'); // "notes/reply/GET/notes/a.txt"
 * ```
 */
export function plainReplyTopic(prefix: string, requestTopic: string): string {
  return `${prefix}/reply/${requestTopic.slice(prefix.length + 1)}`;
}

/**
 * The client a reply topic belongs to: its last level (`parley-3f9c...` of
 * `notes-service/reply/parley-3f9c...`). The embedded broker keeps a client from naming another
 * authenticated client's reply topic, so a server can take this as the requester.
 */
export function replyTopicOwner(replyTo: string): string {
  return replyTo.slice(replyTo.lastIndexOf('/') + 1);
}

/**
 * The topic an event on `path` is published on: `<prefix>/events/<path>`.
 *
 * @param prefix - the service prefix
 * @param path - the path the event is about
 * @returns The topic.
 *
 * @example
 * ```ts
 * eventTopic('notes-service', '/notes/a.txt'); // "notes-service/events/notes/a.txt"
 * ```
 */
export function eventTopic(prefix: string, path: string): string {
  return mqttTopic(`${prefix}/events${encodePath(normalizePath(path))}`);
}

/** A topic as it is, or a `bad_request` for characters a broker would close the connection for. */
function mqttTopic(topic: string): string {
  if (!isMqttText(topic))
    throw new ParleyError('bad_request', 'An MQTT topic cannot carry control characters or non-characters');
  return topic;
}

/** The path of an event read back from its topic, or `undefined` when it is no event topic. */
export function parseEventTopic(prefix: string, topic: string): string | undefined {
  const start = `${prefix}/events`;
  if (!topic.startsWith(start)) return undefined;
  const rest = topic.slice(start.length);
  if (rest !== '' && !rest.startsWith('/')) return undefined;
  return decodePath(rest === '' ? '/' : rest);
}

/**
 * The topic filter of a path pattern: `:name` segments become `+`, a trailing `*` becomes `#`
 * (`/notes/:name` is `<prefix>/events/notes/+`). Literal segments are encoded like paths.
 *
 * @param prefix - the service prefix
 * @param pattern - the path pattern subscribed to
 * @returns The MQTT topic filter.
 *
 * @example
 * ```ts
 * eventFilter('notes-service', '/notes/:name'); // "notes-service/events/notes/+"
 * ```
 */
export function eventFilter(prefix: string, pattern: string): string {
  const segments = normalizePath(pattern)
    .split('/')
    .slice(1)
    .map((segment, index, all) => {
      if (segment.startsWith(':')) return '+';
      if (segment === '*' && index === all.length - 1) return '#';
      return encodePath(segment);
    });
  return `${prefix}/events/${segments.join('/')}`;
}

/** The default shared subscription group of a prefix: `parley-` and the prefix with `/` as `_`. */
export function defaultGroup(prefix: string): string {
  return `parley-${prefix.replace(/\//g, '_')}`;
}
