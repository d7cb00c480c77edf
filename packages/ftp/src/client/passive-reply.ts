/** The largest TCP port. */
const MAX_PORT = 65_535;

/**
 * The data port of an EPSV reply (`229 Entering Extended Passive Mode (|||6446|)`; some servers
 * write `!` for `|`). Throws on a reply that names none, or a port outside 1-65535.
 */
export function epsvPort(message: string): number {
  const digits = /[|!]{3}(\d{1,5})[|!]/.exec(message)?.[1];
  return checkedPort(digits === undefined ? Number.NaN : Number(digits), 'EPSV', message);
}

/**
 * The data port of a PASV reply (`227 Entering Passive Mode (192,168,1,100,10,229)`): the last two
 * of its six numbers. Throws when a number is not a byte (0-255), which would otherwise name
 * another port than the server meant, or when the port is 0.
 */
export function pasvPort(message: string): number {
  const numbers = /(?<![\d-])(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})(?![\d,])/.exec(
    message,
  );
  if (numbers === null) return checkedPort(Number.NaN, 'PASV', message);
  const bytes = numbers.slice(1).map(Number);
  if (bytes.some((byte) => byte > 255)) return checkedPort(Number.NaN, 'PASV', message);
  return checkedPort((bytes[4] as number) * 256 + (bytes[5] as number), 'PASV', message);
}

function checkedPort(port: number, command: string, message: string): number {
  if (Number.isInteger(port) && port >= 1 && port <= MAX_PORT) return port;
  throw new Error(
    `The server's ${command} reply names no valid data port (1-${MAX_PORT}): ${message.slice(0, 200)}`,
  );
}
