/**
 * When zlib cannot win: a proof, cheaper than running deflate, that itsdangerous' rule would keep
 * a payload uncompressed. Most small sessions are such payloads, and deflate is the costliest step
 * of saving one (it sets up a 256 KiB compressor for a few dozen bytes).
 */

// zlib fills one block with up to 16 383 symbols; payloads this short are always one block.
const maxLength = 512;

/**
 * True when `zlib.compress(raw)` is certainly not 2+ bytes shorter than `raw`. With no repeated
 * 3-byte run, deflate has no match to use (its shortest is 3 bytes), so every byte costs a code:
 * 8+ bits with the fixed code, and with a code of its own at least the text's entropy (Shannon),
 * after a block header of 29+ bits. zlib's header and checksum add 6 bytes.
 */
export function cannotShrink(raw: Uint8Array): boolean {
  const n = raw.length;
  if (n > maxLength) return false;
  const triples = new Set<number>();
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    counts.set(raw[i]!, (counts.get(raw[i]!) ?? 0) + 1);
    if (i + 2 >= n) continue;
    const triple = (raw[i]! << 16) | (raw[i + 1]! << 8) | raw[i + 2]!;
    if (triples.has(triple)) return false;
    triples.add(triple);
  }
  let bits = 29;
  for (const count of counts.values()) bits += count * Math.log2(n / count);
  // Rounded down a little, so floating-point error can never tip a case the wrong way.
  const leastBytes = 6 + Math.ceil(bits / 8 - 1e-6);
  return leastBytes >= n - 1;
}
