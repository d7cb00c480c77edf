/**
 * undici's `Pool` class on its own: importing it alone leaves out the rest of undici (fetch,
 * WebSocket, caches, mocks), about 9 MB of memory in each process that connects.
 */
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';

  const PoolClass: typeof Pool;
  export default PoolClass;
}

/** undici's internal symbols: `kParser` keys a connection's HTTP/1.1 parser on its socket. */
declare module 'undici/lib/core/symbols.js' {
  const symbols: { readonly kParser: symbol };
  export default symbols;
}
