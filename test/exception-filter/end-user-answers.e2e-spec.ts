import { Controller, UseFilters } from '@nestjs/common';
import { VerigatorExceptionFilter } from '../../lib';
import { VERIGATOR_ERROR_MESSAGES } from '../../lib/filters/verigator-error-response';
import {
  ADAPTERS,
  AdapterFactory,
  TestModuleOptions,
  expectAnswer,
} from '../utils/create-verigator-app';
import { failEveryRequest } from '../utils/simulator';
import { useTestBed } from '../utils/test-bed';
import { BareController } from './users-routes';

/** Applies the filter the way Nest's docs show: an instance made with `new`, no argument. */
@UseFilters(new VerigatorExceptionFilter())
@Controller('users')
class NewedFilterController extends BareController {}

/** Room for a 1 MB body on a loaded machine. */
const ROOMY_TIMEOUT = { timeout: 5000 };

const NOT_FOUND = 'User nope not found in service nest-sample-service';
const EXISTS = 'User alice@example.com already exists (phone +3725555555)';

describe.each(ADAPTERS)('end users read only our words (%s)', (_name, adapter: AdapterFactory) => {
  const bed = useTestBed();

  async function boot(options: TestModuleOptions = {}) {
    await bed.boot(
      { exceptionFilter: false, ...options },
      { adapter, controllers: [NewedFilterController, BareController] },
    );
    return () => bed.http();
  }

  it('@UseFilters(new VerigatorExceptionFilter()) answers with the status, code and Retry-After', async () => {
    const http = await boot();
    failEveryRequest(bed.sim, { status: 429, headers: { 'Retry-After': '7' } });
    const limited = await http().get('/users/u-1');
    expectAnswer(limited, {
      statusCode: 429,
      error: 'Too Many Requests',
      message: VERIGATOR_ERROR_MESSAGES.RATE_LIMITED,
      code: 'RATE_LIMITED',
    });
    expect(limited.headers['retry-after']).toBe('7');
    failEveryRequest(bed.sim, { reset: true });
    expect((await http().get('/users/u-1')).status).toBe(503);
  });

  it('a 404 answers the stable message: no provider name, service id nor user id', async () => {
    const http = await boot();
    failEveryRequest(bed.sim, { status: 404, body: { message: NOT_FOUND } });
    const res = await http().get('/users/nope');
    expectAnswer(res, {
      statusCode: 404,
      error: 'Not Found',
      message: VERIGATOR_ERROR_MESSAGES.NO_SUCH_RESOURCE,
      code: 'NO_SUCH_RESOURCE',
    });
    for (const secret of ['nope', 'nest-sample-service', 'Verigator']) {
      expect(res.text).not.toContain(secret);
    }
    // The upstream text goes to the log, at debug level: a 404 is an expected outcome.
    expect(bed.logger.text('debug')).toContain('nest-sample-service');
    expect(bed.logger.text('warn') + bed.logger.text('error')).toBe('');
  });

  it('a 409 echoing an e-mail and a phone keeps both out of the answer and masks them in the log', async () => {
    const http = await boot();
    failEveryRequest(bed.sim, { status: 409, body: { message: EXISTS } });
    const res = await http().get('/users/u-1');
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(VERIGATOR_ERROR_MESSAGES.RESOURCE_ALREADY_EXISTS);
    expect(res.text).not.toContain('alice');
    expect(res.text).not.toContain('5555');
    const log = bed.logger.text();
    expect(log).toContain('***@example.com');
    expect(log).toContain('+372****555');
    expect(log).not.toContain('alice@');
    expect(log).not.toContain('+3725555555');
  });

  it('a local 400 keeps its field names, never the value', async () => {
    const http = await boot();
    const res = await http().post('/users').send({ username: 'ann', phoneNumber: '+1 call me' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      message: VERIGATOR_ERROR_MESSAGES.INVALID_DATA,
      code: 'INVALID_DATA',
      fields: [{ field: 'phoneNumber', messages: expect.any(Array) }],
    });
    expect(res.text).not.toContain('call me');
  });

  it('a 1 MB JSON error body of nested arrays answers 502, not a generic 500', async () => {
    const http = await boot(ROOMY_TIMEOUT);
    failEveryRequest(bed.sim, { status: 500, body: '['.repeat(500_000) + ']'.repeat(500_000) });
    const res = await http().get('/users/u-1');
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('INTERNAL_ERROR');
    expect(bed.logger.text('error').length).toBeLessThan(20_000);
  });

  it('a body over the 1 MiB cap answers 502 INVALID_RESPONSE', async () => {
    const http = await boot(ROOMY_TIMEOUT);
    failEveryRequest(bed.sim, { status: 200, body: 'x', repeat: 1024 * 1024 + 1 });
    const res = await http().get('/users/u-1');
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('INVALID_RESPONSE');
  });

  it('the errorMessages option replaces a message (filter registered by the module)', async () => {
    const http = await boot({
      exceptionFilter: true,
      errorMessages: { NO_SUCH_RESOURCE: 'Nothing here' },
    });
    failEveryRequest(bed.sim, { status: 404, body: { message: NOT_FOUND } });
    const res = await http().get('/bare/nope');
    expect(res.body).toMatchObject({ message: 'Nothing here', code: 'NO_SUCH_RESOURCE' });
  });
});
