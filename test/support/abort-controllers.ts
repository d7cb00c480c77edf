import { vi } from 'vitest';

/**
 * Counts the AbortControllers made from now on (in this process), by stubbing the global; undo
 * it with `vi.unstubAllGlobals()`. Returns the function that reads the count.
 */
export function countAbortControllers(): () => number {
  let made = 0;
  const Real = AbortController;
  vi.stubGlobal(
    'AbortController',
    class extends Real {
      constructor() {
        super();
        made++;
      }
    },
  );
  return () => made;
}
