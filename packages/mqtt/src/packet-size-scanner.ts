/** Where the scanner is in a packet: its first byte (type and flags), its Remaining Length, or the rest. */
const State = { Type: 0, Length: 1, Rest: 2 } as const;

/** Told when a packet's length is known and when its last byte has gone by (see {@link PacketSizeScanner}). */
export interface PacketWatcher {
  /** A packet of `length` bytes after its fixed header begins; false refuses it. */
  begin(length: number): boolean;
  /** The packet last begun has been read to its end. */
  end(): void;
}

/**
 * Follows the packets of an MQTT byte stream by their fixed headers alone (type byte, then the
 * Remaining Length), across chunk boundaries, and tells when a packet is larger than
 * `maxPacketBytes` (the whole packet, its fixed header included, as MQTT 5's Maximum Packet
 * Size counts): as soon as its fixed header is read, so its payload is never buffered.
 * The broker guards what clients send with it, and the client what a broker sends.
 */
export class PacketSizeScanner {
  readonly #max: number;
  readonly #accepts: ((typeByte: number) => boolean) | undefined;
  readonly #watcher: PacketWatcher | undefined;
  #state: number = State.Type;
  #length = 0;
  #multiplier = 1;
  #lengthBytes = 0;
  #left = 0;

  /**
   * @param maxPacketBytes - the largest packet taken, its fixed header included
   * @param accepts - tells whether a packet of this first byte (type and flags) is taken at all
   * @param watcher - told when each packet with a payload begins and ends
   */
  constructor(maxPacketBytes: number, accepts?: (typeByte: number) => boolean, watcher?: PacketWatcher) {
    this.#max = maxPacketBytes;
    this.#accepts = accepts;
    this.#watcher = watcher;
  }

  /**
   * Scans the next chunk; false when a packet is too large (or its length is malformed), or
   * its first byte is not accepted.
   */
  scan(chunk: Uint8Array): boolean {
    let index = 0;
    while (index < chunk.length) {
      if (this.#state === State.Rest) {
        const skip = Math.min(this.#left, chunk.length - index);
        index += skip;
        this.#left -= skip;
        if (this.#left === 0) {
          this.#state = State.Type;
          this.#watcher?.end();
        }
      } else if (this.#state === State.Type) {
        if (this.#accepts !== undefined && !this.#accepts(chunk[index] as number)) return false;
        index++;
        this.#state = State.Length;
        this.#length = 0;
        this.#multiplier = 1;
        this.#lengthBytes = 0;
      } else if (!this.#lengthByte(chunk[index++] as number)) {
        return false;
      }
    }
    return true;
  }

  #lengthByte(byte: number): boolean {
    this.#length += (byte & 0x7f) * this.#multiplier;
    this.#multiplier *= 128;
    // The type byte, the Remaining Length's bytes so far and what they announce.
    if (++this.#lengthBytes > 4 || 1 + this.#lengthBytes + this.#length > this.#max) return false;
    if (byte & 0x80) return true;
    this.#left = this.#length;
    this.#state = this.#left === 0 ? State.Type : State.Rest;
    return this.#left === 0 || this.#watcher === undefined || this.#watcher.begin(this.#left);
  }
}
