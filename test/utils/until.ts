/**
 * Resolves once `condition()` holds, checking it every `every` ms; rejects with an error that
 * names `what` (a function is read when giving up, to show the state then) if it still does not
 * hold after `within` ms. For the few waits where real time must pass (a TTL, a breaker's
 * cool-down) or where nothing announces the change: wait on the condition itself, never on a
 * guessed duration.
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  { within = 5_000, every = 5 }: { within?: number; every?: number } = {},
): Promise<void> {
  const deadline = performance.now() + within;
  while (!(await condition())) {
    if (performance.now() > deadline) {
      const expected = typeof what === 'function' ? what() : what;
      throw new Error(`still not true after ${within} ms: ${expected}`);
    }
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
