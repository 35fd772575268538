import { HttpServer } from '@nestjs/common';

/** The Fastify reply methods used (`code`, `header`, `send`). */
interface FastifyLikeReply {
  code(statusCode: number): FastifyLikeReply;
  header(name: string, value: string): unknown;
  send(body: unknown): unknown;
}

/** The Express response methods used (`status`, `setHeader`, `json`). */
interface ExpressLikeResponse {
  status(statusCode: number): ExpressLikeResponse;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
}

/**
 * Sends an error answer through the Nest HTTP adapter when one is known, else straight on the
 * response object, recognising Fastify's reply and Express' response by their methods: so a
 * filter made with `new` (no dependency injection) answers correctly on both adapters.
 */
export function sendErrorReply(
  response: unknown,
  statusCode: number,
  body: object,
  headers: Readonly<Record<string, string>>,
  httpAdapter?: HttpServer,
): void {
  if (httpAdapter) {
    for (const [name, value] of Object.entries(headers)) {
      httpAdapter.setHeader(response, name, value);
    }
    httpAdapter.reply(response, body, statusCode);
    return;
  }
  if (isFastifyReply(response)) {
    for (const [name, value] of Object.entries(headers)) response.header(name, value);
    response.code(statusCode).send(body);
    return;
  }
  if (isExpressResponse(response)) {
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    response.status(statusCode).json(body);
    return;
  }
  throw new TypeError('VerigatorExceptionFilter: the response is neither Express nor Fastify');
}

function isFastifyReply(response: unknown): response is FastifyLikeReply {
  const r = response as Partial<Record<keyof FastifyLikeReply, unknown>> | null;
  return typeof r?.code === 'function' && typeof r.send === 'function';
}

function isExpressResponse(response: unknown): response is ExpressLikeResponse {
  const r = response as Partial<Record<keyof ExpressLikeResponse, unknown>> | null;
  return typeof r?.status === 'function' && typeof r.json === 'function';
}
