/**
 * `MAX_BUFFERED_CONTENT_LENGTH`: the request-body bytes every request together may hold in memory
 * at once. `MAX_CONTENT_LENGTH` bounds one body, but a client can open hundreds of connections,
 * send each body but its last byte and stall; without a shared bound each one holds its bytes.
 */
export class BodyBudget {
  readonly limitBytes: number;
  #usedBytes = 0;

  constructor(limitBytes: number) {
    this.limitBytes = limitBytes;
  }

  /** Bytes reserved now, by all requests. */
  get usedBytes(): number {
    return this.#usedBytes;
  }

  /** Reserves `bytes` if they fit; false (nothing reserved) if they do not. */
  tryReserve(bytes: number): boolean {
    if (this.#usedBytes + bytes > this.limitBytes) return false;
    this.#usedBytes += bytes;
    return true;
  }

  /** Gives back what a request reserved, once its body is read or abandoned. */
  release(bytes: number): void {
    this.#usedBytes -= bytes;
  }
}
