// The README's "In Jest" example, as written there, so that the manual stays true.
import { Test } from '@nestjs/testing';
import { AuthMethod, AuthService, VerigatorModule } from 'nestjs-verigator';
import { VerigatorSimulator } from 'nestjs-verigator/testing';

const seed = {
  services: [
    {
      id: 'demo-service',
      name: 'Demo',
      fqdn: 'demo.local',
      users: [{ id: 'demo-alice', username: 'alice@example.com', phoneNumber: '+3725555555' }],
    },
  ],
};

let sim: VerigatorSimulator;
let auth: AuthService;
beforeAll(async () => {
  sim = await VerigatorSimulator.start({ username: 'u', password: 'p', seed });
  const moduleRef = await Test.createTestingModule({
    imports: [VerigatorModule.forRoot({ username: 'u', password: 'p', endpoint: sim.url })],
  }).compile();
  auth = moduleRef.get(AuthService);
});
afterEach(() => sim.reset());
afterAll(() => sim.close());

it('verifies the SMS code', async () => {
  await auth.initiate('demo-service', 'demo-alice', AuthMethod.SMS);
  const code = sim.lastCode('demo-alice')!; // or the phone number
  await expect(auth.verify('demo-service', 'demo-alice', code)).resolves.toEqual({
    verified: true,
  });
});
