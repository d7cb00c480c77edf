/**
 * The key under which per-address limits count a remote address: IPv4 addresses as they are
 * (an IPv4-mapped IPv6 address `::ffff:1.2.3.4` counts as `1.2.3.4`), IPv6 addresses by their
 * /64 prefix, since one host commonly holds a whole /64. An absent address counts as `unknown`.
 *
 * @param address - the remote address, as a socket reports it
 * @returns The key limits count it under.
 *
 * @example
 * ```ts
 * addressKey('::ffff:192.0.2.1'); // "192.0.2.1"
 * addressKey('2001:db8:1:2:3:4:5:6'); // "2001:db8:1:2::/64"
 * ```
 */
export function addressKey(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (!address.includes(':')) return address;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, `::` expanded (zone and embedded IPv4 tails ignored). */
function expandIpv6(address: string): string[] {
  const bare = address.split('%')[0] ?? address;
  const [head = '', tail] = bare.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = Math.max(0, 8 - left.length - right.length);
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) =>
    (group.replace(/^0+(?=.)/, '') || '0').toLowerCase(),
  );
}
