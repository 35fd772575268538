import { Test } from '@nestjs/testing';
import { InvalidDataError } from '../errors/verigator.error';
import { VerigatorConfigurationError } from '../errors/verigator-configuration.error';
import { VerigatorModuleOptions } from '../options/verigator-module-options.interface';
import { VerigatorModule } from '../verigator.module';
import { InMemoryRecoveryCodeStore } from './in-memory-recovery-code.store';
import { RecoveryCodesService } from './recovery-codes.service';

const SECRET = 'a-secret-of-at-least-32-characters!';

async function serviceWith(options: Partial<VerigatorModuleOptions>) {
  const moduleRef = await Test.createTestingModule({
    imports: [VerigatorModule.forRoot({ username: 'u', password: 'p', ...options })],
  }).compile();
  return moduleRef.get(RecoveryCodesService);
}

describe('RecoveryCodesService', () => {
  it('generates, counts and clears a user’s codes, for the module’s service by default', async () => {
    const store = new InMemoryRecoveryCodeStore();
    const service = await serviceWith({
      serviceId: 'svc',
      twoFactor: { recoveryCodes: { store, secrets: { v1: SECRET }, count: 12 } },
    });
    const codes = await service.generate('alice');
    expect(codes).toHaveLength(12);
    expect(await service.remaining('alice')).toBe(12);
    expect(await service.remaining('alice', 'svc')).toBe(12);
    expect(await service.remaining('alice', 'other-svc')).toBe(0);
    expect(await store.count({ serviceId: 'svc', userId: 'alice' })).toBe(12);
    await service.clear('alice');
    expect(await service.remaining('alice')).toBe(0);
  });

  it('moves a user’s codes to another user id (a user re-created under a new phone)', async () => {
    const store = new InMemoryRecoveryCodeStore();
    const service = await serviceWith({
      serviceId: 'svc',
      twoFactor: { recoveryCodes: { store, secrets: { v1: SECRET } } },
    });
    await service.generate('old-id');
    const hashes = await store.list({ serviceId: 'svc', userId: 'old-id' });
    await service.move('old-id', 'new-id');
    expect(await service.remaining('old-id')).toBe(0);
    expect(await store.list({ serviceId: 'svc', userId: 'new-id' })).toEqual(hashes);
    // Moving a user without codes leaves the new id without codes too.
    await service.move('nobody', 'new-id');
    expect(await service.remaining('new-id')).toBe(0);
  });

  it('uses twoFactor.serviceId over the module’s', async () => {
    const store = new InMemoryRecoveryCodeStore();
    const service = await serviceWith({
      serviceId: 'svc',
      twoFactor: { serviceId: 'svc-2fa', recoveryCodes: { store, secrets: { v1: SECRET } } },
    });
    await service.generate('alice');
    expect(await store.count({ serviceId: 'svc-2fa', userId: 'alice' })).toBe(10);
  });

  it('refuses ids Verigator would refuse, naming the field', async () => {
    const service = await serviceWith({
      twoFactor: {
        recoveryCodes: { store: new InMemoryRecoveryCodeStore(), secrets: { v1: SECRET } },
      },
    });
    await expect(service.generate('alice')).rejects.toThrow(InvalidDataError);
    await expect(service.generate('alice')).rejects.toThrow(/serviceId/);
    await expect(service.remaining('', 'svc')).rejects.toThrow(/userId/);
    await expect(service.clear('..', 'svc')).rejects.toThrow(/userId/);
  });

  it('without twoFactor.recoveryCodes: generate fails naming it; remaining is 0; clear does nothing', async () => {
    const service = await serviceWith({ serviceId: 'svc' });
    await expect(service.generate('alice')).rejects.toThrow(VerigatorConfigurationError);
    await expect(service.generate('alice')).rejects.toThrow('"twoFactor.recoveryCodes"');
    expect(await service.remaining('alice')).toBe(0);
    await expect(service.clear('alice')).resolves.toBeUndefined();
    await expect(service.move('alice', 'bob')).resolves.toBeUndefined();
  });
});
