import { createRequire, syncBuiltinESMExports } from 'node:module';

// The node:crypto object behind `import { timingSafeEqual } from 'node:crypto'`; after
// syncBuiltinESMExports() named imports see what is assigned here.
const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');

/** Calls `fn` while recording (copies of) the arguments of every crypto.timingSafeEqual call. */
export function timingSafeEqualCalls(fn: () => void): Array<[Buffer, Buffer]> {
  const original = crypto.timingSafeEqual;
  const calls: Array<[Buffer, Buffer]> = [];
  const copy = (view: NodeJS.ArrayBufferView): Buffer =>
    Buffer.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  crypto.timingSafeEqual = (a, b) => (calls.push([copy(a), copy(b)]), original(a, b));
  syncBuiltinESMExports();
  try {
    fn();
  } finally {
    crypto.timingSafeEqual = original;
    syncBuiltinESMExports();
  }
  return calls;
}
