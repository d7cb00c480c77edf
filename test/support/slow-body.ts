/** A request body that sends its first part at once and the rest only when the test says. */
export interface SlowBody {
  /** The body's chunks: `first`, then the rest once {@link SlowBody.finish} is called. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Sends `rest` and ends the body. */
  finish(rest: string): void;
}

/** A {@link SlowBody} that sends `first`, then nothing until `finish` is called with the rest. */
export function slowBody(first: string): SlowBody {
  let finish = (_rest: string): void => {};
  const rest = new Promise<string>((resolve) => {
    finish = resolve;
  });
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(first);
    yield Buffer.from(await rest);
  }
  return { body: chunks(), finish };
}
