/**
 * Child process of the client benchmark: heap allocated per call by every contender, measured
 * with a young generation large enough that no collection runs during a sample (see
 * `allocationPerCall`). argv: upstream URL, rounds, calls per sample; answers over IPC.
 */
const { allocationOf } = require('./client.cjs');

const [url, rounds, calls] = process.argv.slice(2);
allocationOf(url, Number(rounds), Number(calls))
  .then((allocation) => process.send(allocation, () => process.exit(0)))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
