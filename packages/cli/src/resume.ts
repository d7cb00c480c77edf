import { statSync } from 'node:fs';
import { isSuccess, type Response } from '@parley/core';
import { CliError, EXIT } from './exit.js';

/** `-C OFFSET`, or `-C -`: the output file's size. */
export type ResumeFrom = number | 'output';

/**
 * The offset a download resumes from: `-C -` takes the size of the output file (0 when it does
 * not exist yet, and then nothing is resumed).
 *
 * @param from - what `-C` gave
 * @param outputFile - the `-o` file
 * @returns The byte offset; 0 for a whole download.
 */
export function resumeOffset(from: ResumeFrom | undefined, outputFile: string | undefined): number {
  if (from === undefined) return 0;
  if (from !== 'output') return from;
  try {
    return statSync(outputFile ?? '').size;
  } catch {
    return 0;
  }
}

/**
 * What to do with the answer to a request for the rest of a body from `offset` (sent as
 * `range: bytes=offset-`): `append` the part the peer sent (its `content-range` starts at
 * `offset`); `complete` when the peer says the body ends at `offset` (`content-range: bytes
 * *\/offset`, HTTP's `416`), or sends a whole body of `offset` bytes: nothing is left to get;
 * `answer` for any other failure, reported as usual. A success without the part asked for ends
 * with curl's exit code 33.
 *
 * @param response - the answer
 * @param offset - the offset asked for
 * @returns The outcome.
 */
export function resumedAnswer(response: Response, offset: number): 'append' | 'complete' | 'answer' {
  const range = response.headers.get('content-range');
  if (!isSuccess(response.status)) {
    const size = /^bytes \*\/(\d+)$/.exec(range ?? '')?.[1];
    if (size === undefined) return 'answer';
    if (Number(size) === offset) return 'complete';
    throw new CliError(
      EXIT.rangeError,
      `Cannot resume from byte ${offset}: the peer's copy has ${size} bytes (the local one is longer)`,
    );
  }
  if (range === undefined) {
    // A peer that sends whole bodies, of the length already here: nothing is left to get.
    const length = response.headers.get('content-length') ?? response.body.size;
    if (length !== undefined && Number(length) === offset) return 'complete';
    throw new CliError(
      EXIT.rangeError,
      'Cannot resume: the peer sent the whole body, not its part from the offset',
    );
  }
  const start = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(range)?.[1];
  if (start === undefined || Number(start) !== offset)
    throw new CliError(EXIT.rangeError, `Cannot resume from byte ${offset}: the peer sent ${range}`);
  return 'append';
}
