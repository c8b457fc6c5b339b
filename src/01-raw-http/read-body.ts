import type { IncomingMessage } from 'node:http';
import { RequestEntityTooLarge } from './http-errors.ts';

const empty = Buffer.alloc(0);

/** Reads a request body into memory, refusing (413) anything over `limitBytes`. */
export async function readBody(incoming: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(incoming.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw new RequestEntityTooLarge(limitBytes);
  // RFC 9112 §6.3: with neither Content-Length nor Transfer-Encoding there is no body (a GET).
  // Skipping the stream here saves an async iterator on every such request.
  if (incoming.headers['content-length'] === undefined && incoming.headers['transfer-encoding'] === undefined) return empty;
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
