/** The element with this id; a missing one is a bug in the page, so it throws. */
export function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`The page has no #${id}`);
  return found as T;
}

/** A new element with its text and, optionally, a class. */
export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text = '',
  className?: string,
): HTMLElementTagNameMap[K] {
  const created = document.createElement(tag);
  created.textContent = text;
  if (className !== undefined) created.className = className;
  return created;
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = {
  http: 'HTTP',
  ws: 'WebSocket',
  ftp: 'FTP',
  smtp: 'SMTP',
  mqtt: 'MQTT',
};

/** A badge naming a protocol (`ws` reads WebSocket); the text says it, the colour only helps. */
export function protocolBadge(protocol: string): HTMLSpanElement {
  const badge = element('span', PROTOCOL_NAMES[protocol] ?? protocol, `protocol p-${protocol}`);
  badge.dataset.protocol = protocol;
  return badge;
}
