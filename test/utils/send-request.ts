import { Agent, request as httpRequest } from 'node:http';

/** A raw answer: the status and the body text. */
export interface RawAnswer {
  status: number;
  body: string;
}

/**
 * Sends one HTTP request to 127.0.0.1:`port` with `body` as is (any text, any JSON value), for
 * tests that need bodies supertest will not send or their own keep-alive `agent`.
 */
export function sendRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string,
  agent?: Agent,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
