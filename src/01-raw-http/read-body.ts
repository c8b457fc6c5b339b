import type { IncomingMessage } from 'node:http';
import { RequestEntityTooLarge } from './http-errors.ts';

/** The body of a request that has none. */
export const noBody = Buffer.alloc(0);

/**
 * RFC 9112 §6.3: with neither Content-Length nor Transfer-Encoding a request has no body (a GET).
 * The app checks this before calling `readBody`, so such a request never waits on the stream.
 */
export function hasBody(incoming: IncomingMessage): boolean {
  return incoming.headers['content-length'] !== undefined || incoming.headers['transfer-encoding'] !== undefined;
}

/** Reads the body of a request that `hasBody` into memory, refusing (413) anything over `limitBytes`. */
export async function readBody(incoming: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(incoming.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw new RequestEntityTooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    received += chunk.length;
    // A chunked body has no Content-Length to check up front.
    if (received > limitBytes) throw new RequestEntityTooLarge(limitBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
