/** The plain form of an address: IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`) as IPv4. */
export function plainAddress(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** Whether two socket addresses are the same host. */
export function sameHost(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && plainAddress(a) === plainAddress(b);
}

/** A host and port to connect a data connection to, parsed from `PORT` or `EPRT`. */
export interface ActiveTarget {
  /** The IP address. */
  readonly host: string;
  /** The TCP port. */
  readonly port: number;
}

/** Parses the argument of `PORT` (`h1,h2,h3,h4,p1,p2`); `undefined` when malformed. */
export function parsePort(arg: string): ActiveTarget | undefined {
  const parts = arg.trim().split(',');
  if (parts.length !== 6 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255))
    return undefined;
  const numbers = parts.map(Number);
  return { host: numbers.slice(0, 4).join('.'), port: (numbers[4] as number) * 256 + (numbers[5] as number) };
}

/** Parses the argument of `EPRT` (`|1|132.235.1.2|6275|`, `|2|::1|6275|`); `undefined` when malformed. */
export function parseEprt(arg: string): ActiveTarget | undefined {
  const delimiter = arg.charAt(0);
  if (delimiter === '' || delimiter.charCodeAt(0) < 33 || delimiter.charCodeAt(0) > 126) return undefined;
  const parts = arg.split(delimiter);
  if (parts.length !== 5 || parts[0] !== '' || parts[4] !== '') return undefined;
  const [, family, host = '', port = ''] = parts;
  if (family !== '1' && family !== '2') return undefined;
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535 || Number(port) === 0) return undefined;
  if (family === '1' && !/^(\d{1,3})(\.\d{1,3}){3}$/.test(host)) return undefined;
  if (family === '2' && !/^[0-9a-fA-F:.]+$/.test(host)) return undefined;
  return { host, port: Number(port) };
}
