/**
 * The protocol-neutral contract of Parley: requests, responses, streaming bodies, handlers,
 * middleware, the router, the client and the server, and the in-memory transport.
 *
 * @packageDocumentation
 * @module @parley/core
 */
import { NODE_PLATFORM } from './node-platform.js';
import { usePlatform } from './platform.js';

// Node.js's Buffer codec, Readable streams and listener limits. package.json lists this file in
// `sideEffects`, so that bundlers keep this call even though the module only re-exports.
usePlatform(NODE_PLATFORM);

// Everything the browser entry has, on the same objects, plus what needs Node.js.
export * from './browser.js';
export {
  FileLock,
  type FileLockOptions,
  isProcessAlive,
  LOCK_PREFIX,
  lockFileName,
  ownedTempName,
  removeLeftovers,
} from './file-lock.js';
export { loginProblem } from './login-problem.js';
export { passwordTable } from './password-table.js';
export { openRegularFile } from './regular-file.js';
