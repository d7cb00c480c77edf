/**
 * undici's `Pool` class on its own: importing it alone leaves out the rest of undici (fetch,
 * WebSocket, caches, mocks), about 9 MB of memory in each process that connects.
 */
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';

  const PoolClass: typeof Pool;
  export default PoolClass;
}
