import { connect } from 'node:net';

/** What came back over the wire: the status line's code and the body after the blank line. */
export interface RawResponse {
  status: number;
  body: string;
}

/**
 * Sends one GET with a Cookie header made of exactly these bytes (control bytes included, which
 * `node:http`'s client refuses to send) over a fresh socket, and reads until the server closes.
 */
export function rawGet(
  port: number,
  path: string,
  cookieBytes: Buffer,
  timeoutMs = 5_000,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`no answer to GET ${path} within ${timeoutMs} ms`)),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      resolve({ status, body: Buffer.from(body, 'latin1').toString('utf8') });
    });
    // write, not end: a client that half-closes first gets nothing back from node:http when the
    // answer takes I/O (the server ends the socket when it sees the FIN; httpAllowHalfOpen is off).
    socket.write(
      Buffer.concat([
        Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: `, 'latin1'),
        cookieBytes,
        Buffer.from('\r\n\r\n', 'latin1'),
      ]),
    );
  });
}

/** True when `node:http`'s parser rejects the header value itself (a control byte other than HTAB). */
export function parserRejects(bytes: Buffer): boolean {
  return bytes.some((b) => (b < 0x20 && b !== 0x09) || b === 0x7f);
}
