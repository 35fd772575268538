import {
  Body,
  Controller,
  INestApplication,
  Post,
  RawBodyRequest,
  Req,
  ValidationPipe,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import type { AddressInfo } from 'node:net';
import { limitJsonBody } from '../../lib';
import { ADAPTERS, AdapterFactory } from '../utils/create-verigator-app';
import { sendRequest } from '../utils/send-request';

class NoteDto {
  @IsString()
  text!: string;
}

/** Counts what reached a handler, i.e. passed every parser, guard and pipe. */
const reached: unknown[] = [];

@Controller()
class NotesController {
  @Post('notes')
  create(@Body(new ValidationPipe()) dto: NoteDto) {
    reached.push(dto);
    return { ok: true };
  }

  @Post('echo')
  echo(@Body() body: unknown, @Req() request: RawBodyRequest<{ rawBody?: Buffer }>) {
    reached.push(body);
    return { body, rawBodyLength: request.rawBody?.length ?? null };
  }
}

/** `[[[…]]]` with `depth` pairs of brackets: the body that overflowed ValidationPipe's stack. */
const nested = (depth: number, inner = '1') => '['.repeat(depth) + inner + ']'.repeat(depth);
/** `{"a":{"a":…}}`, `depth` objects deep. */
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe.each(ADAPTERS)('limitJsonBody on %s', (_name, adapter: AdapterFactory) => {
  let app: INestApplication;
  let port: number;

  async function start(options: { rawBody?: boolean; maxDepth?: number; maxBytes?: number } = {}) {
    const moduleRef = await Test.createTestingModule({ controllers: [NotesController] }).compile();
    app = moduleRef.createNestApplication(adapter(), { logger: false, rawBody: options.rawBody });
    limitJsonBody(app, { maxDepth: options.maxDepth, maxBytes: options.maxBytes });
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  }
  afterEach(async () => {
    reached.length = 0;
    await app.close();
  });

  const post = (path: string, text: string, contentType = 'application/json') =>
    sendRequest(port, 'POST', path, { 'Content-Type': contentType }, text);

  it.each([
    ['a 20 KB [[[…]]] array', nested(10_000)],
    ['a 98 KB [[[…]]] array', nested(49_000)],
    ['objects 10,000 deep', nestedObjects(10_000)],
    ['65 levels, one past the default', nested(64, '{"text":"x"}')],
  ])('answers 400 to %s before any pipe or handler runs', async (_label, text) => {
    await start();
    const res = await post('/notes', text);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'JSON body nested deeper than 64 levels',
    });
    expect(reached).toEqual([]);
  });

  it('refuses an over-deep body before parsing it', async () => {
    await start();
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const text = nested(49_000);
      expect((await post('/echo', text)).status).toBe(400);
      const parsedLengths = parse.mock.calls.map(([input]) => String(input).length);
      expect(parsedLengths.filter((length) => length >= text.length)).toEqual([]);
    } finally {
      parse.mockRestore();
    }
  });

  it('lets 64 levels through, and brackets inside strings never count', async () => {
    await start();
    const text = JSON.stringify({
      deep: JSON.parse(nested(63)),
      brackets: '['.repeat(5_000),
      escaped: '\\"[[[[\\\\"' + '{'.repeat(100),
    });
    const res = await post('/echo', text);
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body).body).toEqual(JSON.parse(text));
  });

  it('takes another maximum', async () => {
    await start({ maxDepth: 3 });
    expect((await post('/echo', '[[[1]]]')).status).toBe(201);
    const res = await post('/echo', '[[[[1]]]]');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).message).toBe('JSON body nested deeper than 3 levels');
  });

  it('answers 413 past maxBytes, announced or streamed, before any handler runs', async () => {
    await start({ maxBytes: 1_000 });
    const text = JSON.stringify({ text: 'x'.repeat(1_000) });
    expect((await post('/echo', JSON.stringify({ text: 'x'.repeat(900) }))).status).toBe(201);
    expect((await post('/echo', text)).status).toBe(413);
    const streamed = await sendRequest(
      port,
      'POST',
      '/echo',
      { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      text,
    );
    expect(streamed.status).toBe(413);
    expect(reached).toHaveLength(1);
  });

  it("keeps the app's rawBody option and its other parsers", async () => {
    await start({ rawBody: true });
    const res = await post('/echo', '{"a":[1]}');
    expect(JSON.parse(res.body)).toEqual({ body: { a: [1] }, rawBodyLength: 9 });
    const form = await post('/echo', 'a=1&b=2', 'application/x-www-form-urlencoded');
    expect(JSON.parse(form.body).body).toEqual({ a: '1', b: '2' });
    expect((await post('/echo', nested(100))).status).toBe(400);
  });

  it('refuses to be applied after the app was initialised, when it could no longer check', async () => {
    await start();
    expect(() => limitJsonBody(app)).toThrow(/before app\.init\(\)/);
  });
});

describe('limitJsonBody on express, with a UTF-16 body', () => {
  it('counts the nesting in the charset the parser decodes', async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [NotesController] }).compile();
    const app = moduleRef.createNestApplication(ADAPTERS[0][1](), { logger: false });
    limitJsonBody(app, { maxDepth: 2 });
    await app.listen(0, '127.0.0.1');
    const url = `${await app.getUrl()}/echo`;
    const post = (text: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-16le' },
        body: Buffer.from(text, 'utf16le'),
      });
    try {
      expect((await post('[["\u5b5b"]]')).status).toBe(201);
      // U+225B is the bytes of `[` and `"` in UTF-16LE: read as bytes, the rest hides in a string
      expect((await post('["\u225b",[[[1]]]]')).status).toBe(400);
    } finally {
      reached.length = 0;
      await app.close();
    }
  });
});
