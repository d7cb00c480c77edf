import type { Writable } from 'node:stream';

/** How long a transfer runs before the meter appears, in ms. */
const SHOW_AFTER_MS = 1_000;
/** How often the meter is redrawn, in ms. */
const REDRAW_MS = 250;

/**
 * The progress meter on stderr: bytes, rate and, when the size is known, percentage and ETA.
 * It appears only once a transfer has lasted a second, and only on a terminal.
 */
export class Progress {
  readonly #stderr: Writable;
  readonly #total: number | undefined;
  readonly #started = monotonicMs();
  #bytes = 0;
  #shown = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(stderr: Writable, total: number | undefined, enabled: boolean) {
    this.#stderr = stderr;
    this.#total = total;
    if (!enabled) return;
    this.#timer = setTimeout(() => {
      this.#timer = setInterval(() => this.#draw(), REDRAW_MS);
      this.#timer.unref();
      this.#draw();
    }, SHOW_AFTER_MS);
    this.#timer.unref();
  }

  /** Counts transferred bytes. */
  add(bytes: number): void {
    this.#bytes += bytes;
  }

  /** Stops the meter, drawing its last state when it was shown. */
  finish(): void {
    clearTimeout(this.#timer);
    clearInterval(this.#timer);
    if (this.#shown) {
      this.#draw();
      this.#stderr.write('\n');
    }
  }

  #draw(): void {
    this.#shown = true;
    const seconds = (monotonicMs() - this.#started) / 1000;
    const rate = seconds > 0 ? this.#bytes / seconds : 0;
    let line = `${size(this.#bytes).padStart(10)}  ${size(rate).padStart(10)}/s`;
    if (this.#total !== undefined && this.#total > 0) {
      const percent = Math.min(100, Math.floor((this.#bytes / this.#total) * 100));
      const eta = rate > 0 ? (this.#total - this.#bytes) / rate : undefined;
      line += `  ${String(percent).padStart(3)}% of ${size(this.#total)}  ETA ${clock(eta)}`;
    }
    this.#stderr.write(`\r${line}\u001b[K`);
  }
}

/**
 * A monotonic clock in ms. Not `performance.now()`: the first use of the `performance` global
 * loads `node:perf_hooks`, which a transfer without a meter (`-s`, no terminal) would load for
 * nothing.
 */
function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** A byte count in B, KiB, MiB or GiB. */
export function size(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

function clock(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  return `${minutes}:${String(whole % 60).padStart(2, '0')}`;
}
