import type { IncomingMessage } from 'node:http';
import { RequestEntityTooLarge } from './http-errors.ts';

/** Reads a request body into memory, refusing (413) anything over `limitBytes`. */
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
