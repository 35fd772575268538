const { startUpstream } = require('./lib/upstream.cjs');
const { contenders } = require('./client.cjs');
const { drive } = require('./lib/drive.cjs');
(async () => {
  const up = await startUpstream();
  const list = await contenders(up.url);
  const c = list.find((x) => x.name === process.argv[2]);
  await drive(c[process.argv[3]], 15000, 8);
  for (const x of list) await x.close();
  await up.stop();
})();
