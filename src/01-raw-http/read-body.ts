import type { IncomingMessage } from 'node:http';
import type { BodyBudget } from './body-budget.ts';
import { BadRequest, HTTPException, RequestEntityTooLarge, ServiceUnavailable } from './http-errors.ts';

/** The body of a request that has none. */
export const noBody = Buffer.alloc(0);

/**
 * RFC 9112 §6.3: with neither Content-Length nor Transfer-Encoding a request has no body (a GET).
 * The app checks this before calling `readBody`, so such a request never waits on the stream.
 */
export function hasBody(incoming: IncomingMessage): boolean {
  return (
    incoming.headers['content-length'] !== undefined || incoming.headers['transfer-encoding'] !== undefined
  );
}

/**
 * Reads the body of a request that `hasBody` into memory: 413 for anything over `limitBytes`,
 * 503 when `budget` (shared by all requests) cannot hold it, 400 when the client goes away first.
 * The bytes are reserved from the budget as they arrive (all at once for a Content-Length) and
 * given back when reading ends, whichever way it ends.
 */
export async function readBody(
  incoming: IncomingMessage,
  limitBytes: number,
  budget: BodyBudget,
): Promise<Buffer> {
  const declared = Number(incoming.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw new RequestEntityTooLarge(limitBytes);
  let reserved = 0;
  const reserve = (bytes: number): void => {
    if (!budget.tryReserve(bytes))
      throw new ServiceUnavailable(busyMessage, { headers: { 'Retry-After': '5', Connection: 'close' } });
    reserved += bytes;
  };
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    reserve(declared);
    // destroyOnReturn false: a refusal mid-body must not destroy the socket its answer goes out on.
    for await (const chunk of incoming.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      received += chunk.length;
      // A chunked body has no Content-Length to check up front.
      if (received > limitBytes) throw new RequestEntityTooLarge(limitBytes);
      if (received > reserved) reserve(received - reserved);
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HTTPException) throw error;
    // The stream failed: the client went away, or sent less than it declared before the request timeout.
    throw new BadRequest('The request body ended before it was complete.', { cause: error });
  } finally {
    budget.release(reserved);
  }
  return Buffer.concat(chunks);
}

const busyMessage =
  'The server is holding as many request bodies as it can right now. Please try again shortly.';
