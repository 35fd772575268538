import { Body, Controller, Post, UseGuards, ValidationPipe } from '@nestjs/common';
import { IsInt, Min } from 'class-validator';
import { RequireTwoFactor } from '../../lib';
import { ADAPTERS, AdapterFactory, FakeLoginGuard, asUser } from '../utils/create-verigator-app';
import { verifies } from '../utils/simulator';
import { useGuardBed } from '../utils/test-bed';

class PaymentDto {
  @IsInt()
  @Min(1)
  amount!: number;
}

@Controller('payments')
@UseGuards(FakeLoginGuard)
class PaymentsController {
  @RequireTwoFactor()
  @Post()
  pay(@Body() payment: PaymentDto) {
    return { paid: payment.amount };
  }

  @RequireTwoFactor({ maxAge: 60_000 })
  @Post('remembered')
  payRemembered(@Body() payment: PaymentDto) {
    return { paid: payment.amount };
  }
}

/**
 * Nest runs guards before pipes: the guard verifies the code (Verigator uses it up) before the
 * app's `ValidationPipe` reads the body. What the user sees when the body is then refused
 * (docs/guard.md, "Guards run before pipes").
 */
describe.each(ADAPTERS)(
  'a code spent on a body the ValidationPipe refuses (%s)',
  (_name, adapter: AdapterFactory) => {
    const bed = useGuardBed(adapter);
    const boot = () =>
      bed.bootGuard(
        {},
        {
          controllers: [PaymentsController],
          beforeInit: (app) => app.useGlobalPipes(new ValidationPipe()),
        },
      );

    /** Has a code sent to alice for `path`, and answers it. */
    async function codeFor(http: Awaited<ReturnType<typeof boot>>, path: string): Promise<string> {
      const sent = await asUser(http().post(path), 'alice').send({ amount: 5 });
      expect(sent.body).toMatchObject({ statusCode: 401, code: 'TWO_FACTOR_REQUIRED' });
      return bed.sim.lastCode('alice')!;
    }

    it('without maxAge: 400 for the body, then the same code is refused; a new code passes', async () => {
      const http = await boot();
      const code = await codeFor(http, '/payments');

      const refused = await asUser(http().post('/payments'), 'alice', { token: code }).send({
        amount: 'a lot',
      });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toEqual(
        expect.arrayContaining([expect.stringMatching(/amount/)]),
      );

      const retried = await asUser(http().post('/payments'), 'alice', { token: code }).send({
        amount: 5,
      });
      expect(retried.body).toMatchObject({ statusCode: 401, code: 'TWO_FACTOR_INVALID' });

      const fresh = await codeFor(http, '/payments');
      expect(fresh).not.toBe(code);
      const paid = await asUser(http().post('/payments'), 'alice', { token: fresh }).send({
        amount: 5,
      });
      expect(paid.status).toBe(201);
      expect(paid.body).toEqual({ paid: 5 });
    });

    it('with maxAge: 400 for the body, then the retry passes on the remembered success', async () => {
      const http = await boot();
      const code = await codeFor(http, '/payments/remembered');

      const refused = await asUser(http().post('/payments/remembered'), 'alice', {
        token: code,
      }).send({ amount: 0 });
      expect(refused.status).toBe(400);

      const retried = await asUser(http().post('/payments/remembered'), 'alice', {
        token: code,
      }).send({ amount: 5 });
      expect(retried.status).toBe(201);
      expect(retried.body).toEqual({ paid: 5 });
      expect(verifies(bed.sim)).toHaveLength(1);
    });
  },
);
