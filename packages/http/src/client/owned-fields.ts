/** Request header fields the connection itself owns: never copied from a Parley request. */
export const CONNECTION_FIELDS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
  'content-length',
]);

/** The fields a browser's fetch owns besides (forbidden to scripts): never copied either. */
export const FETCH_OWNED_FIELDS: ReadonlySet<string> = new Set([...CONNECTION_FIELDS, 'te', 'trailer']);
