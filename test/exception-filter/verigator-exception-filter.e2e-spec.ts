import { Controller, UseFilters } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { VerigatorExceptionFilter } from '../../lib';
import { SimulatorFault } from '../../lib/testing';
import {
  ADAPTERS,
  AdapterFactory,
  TEST_PASSWORD,
  TestAppSetup,
  TestModuleOptions,
} from '../utils/create-verigator-app';
import { NO_ANSWER, SHORT_TIMEOUT, failEveryRequest } from '../utils/simulator';
import { useTestBed } from '../utils/test-bed';
import { BareController } from './users-routes';

@UseFilters(VerigatorExceptionFilter)
@Controller('users')
class FilteredController extends BareController {}

const UPSTREAM_DETAIL = 'db-node-7 stack trace';

const detail = { message: UPSTREAM_DETAIL };

/** [upstream answer, HTTP status, reason phrase, code, the simulator's fault] */
const ROWS: [string, number, string, string, SimulatorFault][] = [
  ['400', 400, 'Bad Request', 'INVALID_DATA', { status: 400, body: { message: 'bad id' } }],
  ['422', 400, 'Bad Request', 'INVALID_DATA', { status: 422, body: { message: 'not json' } }],
  ['404', 404, 'Not Found', 'NO_SUCH_RESOURCE', { status: 404 }],
  ['409', 409, 'Conflict', 'RESOURCE_ALREADY_EXISTS', { status: 409, body: { message: 'exists' } }],
  [
    '429',
    429,
    'Too Many Requests',
    'RATE_LIMITED',
    { status: 429, headers: { 'Retry-After': '30' } },
  ],
  ['401', 502, 'Bad Gateway', 'WRONG_CREDENTIALS', { status: 401, body: detail }],
  ['403', 502, 'Bad Gateway', 'RESOURCE_FORBIDDEN', { status: 403, body: detail }],
  ['500', 502, 'Bad Gateway', 'INTERNAL_ERROR', { status: 500, body: detail }],
  ['non-JSON 200', 502, 'Bad Gateway', 'INVALID_RESPONSE', { status: 200, body: UPSTREAM_DETAIL }],
  ['418', 502, 'Bad Gateway', 'VERIGATOR_ERROR', { status: 418, body: detail }],
  ['reset connection', 503, 'Service Unavailable', 'CONNECTION_ERROR', { reset: true }],
  ['no answer', 504, 'Gateway Timeout', 'REQUEST_TIMEOUT', NO_ANSWER],
];

describe.each(ADAPTERS)('VerigatorExceptionFilter (%s)', (_name, adapter: AdapterFactory) => {
  const bed = useTestBed();

  async function boot(
    options: TestModuleOptions = { exceptionFilter: false },
    setup: TestAppSetup = {},
  ) {
    await bed.boot(
      { timeout: SHORT_TIMEOUT, ...options },
      {
        adapter,
        controllers: [FilteredController, BareController],
        ...setup,
      },
    );
    return () => bed.http();
  }

  describe('per controller', () => {
    it.each(ROWS)('answers upstream %s with %i', async (_what, status, error, code, reply) => {
      const http = await boot();
      failEveryRequest(bed.sim, reply);
      const res = await http().get('/users/u-1');
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ statusCode: status, error, code });
      expect(typeof res.body.message).toBe('string');
      if (status >= 429) {
        expect(res.text).not.toContain(UPSTREAM_DETAIL);
        expect(res.body.message).toMatch(/two-factor authentication provider/);
      }
      if (code === 'INVALID_DATA') expect(res.body.fields).toEqual([]);
      if (status === 429) expect(res.headers['retry-after']).toBe('30');
      else expect(res.headers['retry-after']).toBeUndefined();
    });

    it('names the failing fields of local validation, and sends nothing', async () => {
      const http = await boot();
      const res = await http().post('/users').send({ username: 'ann', phoneNumber: 'call me' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'INVALID_DATA' });
      expect(res.body.fields).toEqual([{ field: 'phoneNumber', messages: expect.any(Array) }]);
      expect(res.text).not.toContain('call me');
      expect(bed.sim.requests()).toHaveLength(0);
    });

    it('logs the full error, without the API password', async () => {
      const http = await boot();
      failEveryRequest(bed.sim, {
        status: 500,
        body: { message: `${UPSTREAM_DETAIL} api-user:${TEST_PASSWORD}` },
      });
      const res = await http().get('/users/u-1');
      expect(res.status).toBe(502);
      const errors = bed.logger.text('error');
      expect(errors).toContain('INTERNAL_ERROR');
      expect(errors).toContain(UPSTREAM_DETAIL);
      expect(bed.logger.text()).not.toContain(TEST_PASSWORD);
      expect(res.text).not.toContain(TEST_PASSWORD);
    });

    it('does not touch routes of other controllers', async () => {
      const http = await boot();
      failEveryRequest(bed.sim, { status: 404 });
      expect((await http().get('/bare/u-1')).body.code).toBeUndefined();
    });
  });

  describe('globally', () => {
    it('is registered by VerigatorModule by default', async () => {
      const http = await boot({});
      failEveryRequest(bed.sim, { status: 401, body: detail });
      const res = await http().get('/bare/u-1');
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ statusCode: 502, code: 'WRONG_CREDENTIALS' });
      expect(res.text).not.toContain(UPSTREAM_DETAIL);
    });

    it("with exceptionFilter: false, Nest's default handler would pass Verigator's 401 on", async () => {
      const http = await boot();
      failEveryRequest(bed.sim, { status: 401, body: detail });
      expect((await http().get('/bare/u-1')).status).toBe(401);
    });

    it('works through app.useGlobalFilters', async () => {
      const http = await boot(undefined, {
        beforeInit: (nest) =>
          nest.useGlobalFilters(new VerigatorExceptionFilter(nest.get(HttpAdapterHost))),
      });
      failEveryRequest(bed.sim, { reset: true });
      const res = await http().get('/bare/u-1');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ statusCode: 503, code: 'CONNECTION_ERROR' });
    });

    it('works as APP_FILTER', async () => {
      const http = await boot(undefined, {
        providers: [{ provide: APP_FILTER, useClass: VerigatorExceptionFilter }],
      });
      failEveryRequest(bed.sim, { status: 429, headers: { 'Retry-After': '5' } });
      const res = await http().get('/bare/u-1');
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('5');
    });
  });
});
