/** A promise that stays pending until the test calls `open`: what a handler awaits to stay busy. */
export interface Gate {
  /** Resolves once {@link Gate.open} is called. */
  readonly opened: Promise<void>;
  /** Lets every waiter on {@link Gate.opened} go on; later calls do nothing. */
  open(): void;
}

/** A new, closed {@link Gate}. */
export function gate(): Gate {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
