import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { VERIGATOR_CHANNELS, VerigatorEvent } from '../../lib';
import { SERVICE_ID, createVerigatorApp } from '../utils/create-verigator-app';
import { startSimulator } from '../utils/simulator';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

// Node 20 keeps channels weakly, by name. When a channel nobody holds is collected, its
// finalizer later deletes whichever channel has that name by then, even a new one with
// subscribers (nodejs/node#59910): a lookup after that makes a fresh channel, and what is
// published on it reaches nobody. The library holds its channels for good, so none of them is
// ever collected. Its own file: nothing else here holds a channel before the test.
describe('a subscriber by name to VERIGATOR_CHANNELS', () => {
  it('receives the events after a GC that could have collected a channel of that name', async () => {
    const name = VERIGATOR_CHANNELS.clientCall;
    let collected!: () => void;
    const finalized = new Promise<void>((resolve) => (collected = resolve));
    const registry = new FinalizationRegistry(() => collected());
    // Looked up and not kept, as any code may do, beside a marker that goes with it.
    (() => {
      channel(name);
      registry.register({}, 'marker');
    })();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const events: VerigatorEvent[] = [];
    const listener = (event: unknown) => void events.push(event as VerigatorEvent);
    subscribe(name, listener);
    // V8 runs the finalizers of one registry per task, Node's then ours or ours then Node's; a
    // task posted from a task runs in the event loop's next turn.
    await finalized;
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    const sim = await startSimulator();
    const { app, services } = await createVerigatorApp(sim.url);
    try {
      await services.get(SERVICE_ID);
      expect(events).toEqual([
        expect.objectContaining({ type: 'call', operation: 'services.get' }),
      ]);
    } finally {
      unsubscribe(name, listener);
      await app.close();
      await sim.close();
    }
  });
});
