/** Removes this run's keys only: SCAN by prefix (never FLUSHDB; other programs share this Redis). */
export async function deleteByPrefix(client: KeyScanner, prefix: string): Promise<void> {
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    const batch = ([] as Array<string | Buffer>).concat(keys);
    if (batch.length) await client.del(batch);
  }
}

/** The two node-redis commands `deleteByPrefix` needs. */
export interface KeyScanner {
  scanIterator(options: {
    MATCH: string;
    COUNT: number;
  }): AsyncIterable<string | Buffer | Array<string | Buffer>>;
  del(keys: Array<string | Buffer>): Promise<unknown>;
}
