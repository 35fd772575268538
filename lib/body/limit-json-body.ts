import {
  BadRequestException,
  INestApplication,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { Readable, Transform } from 'node:stream';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Follows the nesting of JSON text chunk by chunk, in one pass over its UTF-8 bytes: brackets
 * count outside strings only. For any text `JSON.parse` accepts, this is its nesting depth
 * (UTF-8 never puts an ASCII byte inside a multi-byte character).
 */
export class JsonDepthScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly maxDepth: number) {}

  /** Reads the next bytes; false once the text went deeper than the maximum. */
  push(bytes: Uint8Array): boolean {
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
      } else if (byte === QUOTE) {
        this.inString = true;
      } else if (byte === OPEN_ARRAY || byte === OPEN_OBJECT) {
        if (++this.depth > this.maxDepth) return false;
      } else if (byte === CLOSE_ARRAY || byte === CLOSE_OBJECT) {
        this.depth--;
      }
    }
    return true;
  }
}

/** What the Express adapter's `useBodyParser` takes (body-parser's `verify` hook included). */
interface ExpressAdapterLike {
  getInstance(): { router?: { stack?: { handle?: { name?: string } }[] } };
  useBodyParser(
    type: 'json',
    rawBody: boolean,
    options: {
      limit?: number;
      verify(request: { rawBody?: Buffer }, response: unknown, body: Buffer, charset: string): void;
    },
  ): unknown;
}

/** What a Fastify instance's `preParsing` hook takes. */
interface FastifyLike {
  addHook(
    name: 'preParsing',
    hook: (
      request: { headers: IncomingHttpHeaders },
      reply: unknown,
      payload: Readable,
      done: (error: Error | null, payload?: Readable) => void,
    ) => void,
  ): unknown;
}

/**
 * Refuses a JSON request body while it is read, before it is parsed and before any middleware,
 * guard, pipe or interceptor sees it: 400 `JSON body nested deeper than <maxDepth> levels` past
 * `maxDepth` nested arrays and objects, 413 past `maxBytes`. Deep nesting overflows the stack of
 * recursive code such as `ValidationPipe` (a 20 KB `[[[…]]]` answers 500 without this) and makes
 * parsing slow; a wide body (many items or keys) costs `ValidationPipe` about 6 µs an item, so
 * an app whose bodies are small should say so with `maxBytes`.
 *
 * Call it once, before `app.init()` or `app.listen()`. On Fastify it is a `preParsing` hook, over
 * whatever parsers and `bodyLimit` the app has. On Express it registers the JSON body parser Nest
 * would (`express.json()`, keeping the app's `rawBody` option): use it instead of
 * `app.useBodyParser('json', …)`.
 * @param limits.maxDepth the deepest nesting let through. @default 64
 * @param limits.maxBytes the largest JSON body let through, in bytes. @default the adapter's
 * (100 KB on Express, Fastify's `bodyLimit`, 1 MiB unless set)
 * @throws Error when the app is already initialised, when a JSON parser is already registered
 * (Express), or on an adapter other than Express or Fastify.
 * @example
 * const app = await NestFactory.create(AppModule);
 * limitJsonBody(app, { maxBytes: 16_384 });
 * await app.listen(3000);
 */
export function limitJsonBody(
  app: INestApplication,
  limits: { maxDepth?: number; maxBytes?: number } = {},
): void {
  const { maxDepth = 64, maxBytes } = limits;
  for (const [name, value] of Object.entries({ maxDepth, maxBytes })) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      throw new Error(`limitJsonBody: ${name} must be a positive integer`);
    }
  }
  const adapter = app.getHttpAdapter();
  const tooDeep = () => new BadRequestException(`JSON body nested deeper than ${maxDepth} levels`);
  const type = adapter.getType();
  if (type === 'fastify') {
    const tooLarge = () => new PayloadTooLargeException(`JSON body larger than ${maxBytes} bytes`);
    const fastify = adapter.getInstance() as FastifyLike;
    try {
      // `done` is called at once: Fastify then listens to the new stream in this same tick,
      // before any chunk can flow and fail it (an async hook would leave the error unheard).
      fastify.addHook('preParsing', (request, _reply, payload, done) => {
        if (!/json/i.test(request.headers['content-type'] ?? '')) return done(null, payload);
        if (maxBytes !== undefined && Number(request.headers['content-length']) > maxBytes) {
          return done(tooLarge());
        }
        const scanner = new JsonDepthScanner(maxDepth);
        let bytes = 0;
        const checked = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            bytes += chunk.length;
            if (maxBytes !== undefined && bytes > maxBytes) callback(tooLarge());
            else callback(scanner.push(chunk) ? null : tooDeep(), chunk);
          },
        });
        done(null, payload.pipe(checked));
      });
    } catch {
      throw new Error('limitJsonBody(app) must be called before app.init() or app.listen()');
    }
    return;
  }
  if (type !== 'express') {
    throw new Error(`limitJsonBody supports the Express and Fastify adapters, not ${type}`);
  }
  const express = adapter as unknown as ExpressAdapterLike;
  const parsers = express.getInstance().router?.stack ?? [];
  if (parsers.some((layer) => layer.handle?.name === 'jsonParser')) {
    throw new Error(
      'limitJsonBody(app) must be called before app.init() or app.listen(), and instead of ' +
        "app.useBodyParser('json'): a JSON parser is already registered",
    );
  }
  const keepRawBody = Reflect.get(app, 'appOptions')?.rawBody === true;
  express.useBodyParser('json', false, {
    ...(maxBytes !== undefined && { limit: maxBytes }),
    verify(request, _response, body, charset) {
      const bytes = /^utf-?8$/i.test(charset) ? body : Buffer.from(decode(body, charset));
      if (!new JsonDepthScanner(maxDepth).push(bytes)) throw tooDeep();
      if (keepRawBody) request.rawBody = body;
    },
  });
}

/** Text in a charset body-parser accepts other than UTF-8 (UTF-16). */
function decode(body: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(body);
  } catch {
    throw new UnsupportedMediaTypeException(`Unsupported charset "${charset}"`);
  }
}
