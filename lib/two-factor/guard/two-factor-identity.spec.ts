import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { resolveTwoFactorOptions } from '../../options/two-factor-options';
import { TwoFactorModuleOptions } from '../two-factor-options.interface';
import { TwoFactorIdentity } from './two-factor-identity';

/** Exposes the protected readers. */
class Identity extends TwoFactorIdentity {
  read(context: ExecutionContext) {
    return Promise.all([
      this.getUserId(context),
      this.getToken(context),
      this.getSessionKey(context, 'u'),
      this.getServiceId(context, {}),
    ]);
  }
}

const contextOf = (request: object) =>
  ({
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
  }) as never;
const identity = (twoFactor: TwoFactorModuleOptions = {}) =>
  new Identity(new Reflector(), resolveTwoFactorOptions({ serviceId: 'svc', twoFactor }));

describe('TwoFactorIdentity', () => {
  it('reads request.user.verigatorId, the first X-Verigator-Token header and the module service', async () => {
    const request = { user: { verigatorId: 'u-1' }, headers: { 'x-verigator-token': ['1', '2'] } };
    expect(await identity().read(contextOf(request))).toEqual(['u-1', '1', '', 'svc']);
  });

  it.each([undefined, '', '  ', 42, 'x\ud800'])('takes %j for no user', async (verigatorId) => {
    const [userId] = await identity().read(contextOf({ user: { verigatorId }, headers: {} }));
    expect(userId).toBeUndefined();
  });

  it('reads through the readers in the options; a session key that is not text remembers nothing', async () => {
    const subject = identity({
      userId: (req) => req.headers['x-account'],
      token: (req) => req.query.code,
      sessionKey: (req) => req.headers['x-session'],
    });
    const request = {
      headers: { 'x-account': 'u-9', 'x-session': 'x\udfff' },
      query: { code: '7' },
    };
    expect(await subject.read(contextOf(request))).toEqual(['u-9', '7', undefined, 'svc']);
  });
});
