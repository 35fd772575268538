import { behavesLikeARecoveryCodeStore } from '../../test/utils/recovery-code-store-behaviour';
import { InMemoryRecoveryCodeStore } from './in-memory-recovery-code.store';

describe('InMemoryRecoveryCodeStore', () => {
  behavesLikeARecoveryCodeStore(() => new InMemoryRecoveryCodeStore());

  describe('outside development', () => {
    const original = process.env.NODE_ENV;
    afterEach(() => {
      process.env.NODE_ENV = original;
    });

    it.each(['production', 'Production', ' production ', 'prod', 'staging'])(
      'is refused with NODE_ENV=%j, naming the way out',
      (nodeEnv) => {
        process.env.NODE_ENV = nodeEnv;
        expect(() => new InMemoryRecoveryCodeStore()).toThrow(
          /refused in production.*RedisRecoveryCodeStore.*allowInProduction/,
        );
      },
    );

    it('is allowed there when asked explicitly', () => {
      process.env.NODE_ENV = 'production';
      expect(new InMemoryRecoveryCodeStore({ allowInProduction: true })).toBeDefined();
    });

    it.each([undefined, '', 'development', 'test', ' Development '])(
      'is allowed with NODE_ENV=%j',
      (nodeEnv) => {
        if (nodeEnv === undefined) delete process.env.NODE_ENV;
        else process.env.NODE_ENV = nodeEnv;
        expect(new InMemoryRecoveryCodeStore()).toBeDefined();
      },
    );
  });
});
