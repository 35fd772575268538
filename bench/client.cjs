/**
 * The client's `ServicesService.get` and `AuthService.verify` against hand-written calls making
 * the same requests to the same upstream: bare keep-alive axios, Node's fetch, an undici Pool.
 * Contenders take turns within every round (interleaved), at each concurrency.
 */
require('reflect-metadata');
const { fork } = require('node:child_process');
const { Agent } = require('node:http');
const { join } = require('node:path');
const axios = require('axios');
const { Pool } = require('undici');
const { NestFactory } = require('@nestjs/core');
const { AuthService, ServicesService, VerigatorModule } = require('../dist');
const { Test } = require('@nestjs/testing');
const { createVerigatorHttpService } = require('../dist/http/create-verigator-http-service');
const { VERIGATOR_HTTP_SERVICE, VERIGATOR_OPTIONS } = require('../dist/verigator.constants');
const { UPSTREAM } = require('./lib/upstream.cjs');
const { allocationPerCall, drive } = require('./lib/drive.cjs');
const { spread } = require('./lib/stats.cjs');

const { serviceId, userId, token } = UPSTREAM;
const SERVICE_PATH = `/v1/service/service/${serviceId}`;
const AUTH_PATH = `${SERVICE_PATH}/users/${userId}/auth`;
const HEADERS = {
  Accept: 'application/json',
  'X-Service-Auth': `${UPSTREAM.username}:${UPSTREAM.password}`,
};
const JSON_HEADERS = { ...HEADERS, 'Content-Type': 'application/json' };
const VERIFY_BODY = { token };
const TIMEOUT_MS = 5000;

/**
 * A keep-alive agent for the node:http contenders. Its `timeout` matters: without one, Node 20's
 * agent ignores the server's `Keep-Alive: timeout=5` hint and keeps idle sockets for ever, while
 * the upstream (a Node server) closes them after 5 s (+1 s): a call that picks a socket at that
 * moment fails with "socket hang up". Contenders idle that long while the others run on a busy
 * machine. With a timeout, the agent ends idle sockets 1 s before the server's announced timeout.
 */
const keepAliveAgent = () => new Agent({ keepAlive: true, timeout: TIMEOUT_MS });

/** Builds every contender; each has `get()`, `verify()` and `close()`. */
async function contenders(url) {
  const bare = axios.create({
    baseURL: url,
    httpAgent: keepAliveAgent(),
    headers: HEADERS,
    timeout: TIMEOUT_MS,
  });
  const pool = new Pool(url);
  const app = await NestFactory.createApplicationContext(
    VerigatorModule.forRoot({
      username: UPSTREAM.username,
      password: UPSTREAM.password,
      endpoint: url,
    }),
    { logger: false },
  );
  const services = app.get(ServicesService);
  const auth = app.get(AuthService);
  const viaNodeHttp = await clientWithAdapter(url, {
    adapter: 'http',
    httpAgent: keepAliveAgent(),
  });
  const viaAxiosFetch = await clientWithAdapter(url, { adapter: 'fetch' });
  const undiciCall = async (method, path, body) => {
    const res = await pool.request({
      method,
      path,
      headers: body ? JSON_HEADERS : HEADERS,
      body: body && JSON.stringify(body),
    });
    return res.body.json();
  };
  const list = [
    {
      name: 'client',
      get: () => services.get(serviceId),
      verify: () => auth.verify(serviceId, userId, token),
      close: () => app.close(),
    },
    {
      name: 'client-node-http',
      get: () => viaNodeHttp.get(ServicesService).get(serviceId),
      verify: () => viaNodeHttp.get(AuthService).verify(serviceId, userId, token),
      close: () => viaNodeHttp.close(),
    },
    {
      name: 'client-axios-fetch',
      get: () => viaAxiosFetch.get(ServicesService).get(serviceId),
      verify: () => viaAxiosFetch.get(AuthService).verify(serviceId, userId, token),
      close: () => viaAxiosFetch.close(),
    },
    {
      name: 'axios',
      get: () => bare.get(SERVICE_PATH).then((r) => r.data),
      verify: () => bare.put(AUTH_PATH, VERIFY_BODY).then((r) => r.data),
      close: () => bare.defaults.httpAgent.destroy(),
    },
    {
      name: 'fetch',
      get: () => fetch(url + SERVICE_PATH, { headers: HEADERS }).then((r) => r.json()),
      verify: () =>
        fetch(url + AUTH_PATH, {
          method: 'PUT',
          headers: JSON_HEADERS,
          body: JSON.stringify(VERIFY_BODY),
        }).then((r) => r.json()),
      close: () => {},
    },
    {
      name: 'undici',
      get: () => undiciCall('GET', SERVICE_PATH),
      verify: () => undiciCall('PUT', AUTH_PATH, VERIFY_BODY),
      close: () => pool.close(),
    },
  ];
  for (const c of list) {
    const [got, verified] = [await c.get(), await c.verify()];
    if (got.id !== serviceId) throw new Error(`${c.name}: bad get ${JSON.stringify(got)}`);
    if (verified.verified !== true)
      throw new Error(`${c.name}: bad verify ${JSON.stringify(verified)}`);
  }
  return list;
}

/**
 * The transport comparison: the same module with one of axios' own adapters (node:http with a
 * keep-alive agent, or fetch) under its HttpService instead of the undici adapter it ships with.
 */
async function clientWithAdapter(url, defaults) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      VerigatorModule.forRoot({
        username: UPSTREAM.username,
        password: UPSTREAM.password,
        endpoint: url,
      }),
    ],
  })
    .overrideProvider(VERIGATOR_HTTP_SERVICE)
    .useFactory({
      factory: (options) => {
        const http = createVerigatorHttpService(options);
        Object.assign(http.axiosRef.defaults, defaults);
        return http;
      },
      inject: [VERIGATOR_OPTIONS],
    })
    .compile();
  return moduleRef.init();
}

/**
 * Runs the section. Resolves to `{ cells, ratios, allocation }`: every contender's figures per
 * operation and concurrency (median and min–max over rounds), and the client's ratios to each
 * baseline (the median of the per-round ratios, which pairs measurements taken moments apart).
 */
async function benchClient(url, { rounds, calls, concurrencies, allocationCalls, log }) {
  const list = await contenders(url);
  const operations = ['get', 'verify'];
  const samples = {}; // samples[op][conc][name] = [{throughput, cpuUs, p50Us, p99Us}]
  for (const op of operations) {
    samples[op] = {};
    for (const c of concurrencies) {
      samples[op][c] = Object.fromEntries(list.map((x) => [x.name, []]));
      for (const x of list) await drive(x[op], Math.min(calls, 500), c); // warm-up
    }
  }
  for (let round = 0; round < rounds; round++) {
    for (const op of operations) {
      for (const c of concurrencies) {
        // Rotate the order every round so no contender always runs first.
        const order = list.map((_, i) => list[(i + round) % list.length]);
        for (const x of order) samples[op][c][x.name].push(await drive(x[op], calls, c));
      }
    }
    log(`  client round ${round + 1}/${rounds} done`);
  }
  for (const x of list) await x.close();
  const allocation = await measureAllocationInChild(url, rounds, allocationCalls);
  return summarise(
    samples,
    allocation,
    list.map((x) => x.name),
  );
}

/**
 * Runs `allocation.cjs` in a child process with a 128 MB young generation (so a few thousand calls
 * fit without a collection) and resolves to `allocation[op][contender] = [bytes per call, ...]`.
 * The timed runs above keep V8's default heap settings.
 */
function measureAllocationInChild(url, rounds, calls) {
  const child = fork(join(__dirname, 'allocation.cjs'), [url, String(rounds), String(calls)], {
    execArgv: ['--expose-gc', '--min-semi-space-size=128', '--max-semi-space-size=128'],
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once(
      'exit',
      (code) => code !== 0 && reject(new Error(`allocation.cjs exited with ${code}`)),
    );
  });
}

/** Measures heap allocated per call for every contender and operation; see `allocationPerCall`. */
async function allocationOf(url, rounds, calls) {
  const list = await contenders(url);
  const allocation = {};
  for (const op of ['get', 'verify']) {
    allocation[op] = Object.fromEntries(list.map((x) => [x.name, []]));
    for (const x of list) await allocationPerCall(x[op], calls, 8); // warm-up
    for (let round = 0; round < Math.min(3, rounds); round++) {
      for (const x of list) {
        const perCall = await allocationPerCall(x[op], calls, 8);
        if (perCall !== undefined) allocation[op][x.name].push(perCall);
      }
    }
  }
  for (const x of list) await x.close();
  return allocation;
}

function summarise(samples, allocation, names) {
  const cells = [];
  const ratios = [];
  for (const [op, byConc] of Object.entries(samples)) {
    for (const [conc, byName] of Object.entries(byConc)) {
      for (const name of names) {
        const runs = byName[name];
        cells.push({
          operation: op,
          concurrency: Number(conc),
          contender: name,
          throughput: spread(
            runs.map((r) => r.throughput),
            0,
          ),
          cpuUsPerCall: spread(
            runs.map((r) => r.cpuUs),
            1,
          ),
          p50Us: spread(
            runs.map((r) => r.p50Us),
            0,
          ),
          p99Us: spread(
            runs.map((r) => r.p99Us),
            0,
          ),
        });
      }
      for (const subject of names.filter((n) => n.startsWith('client'))) {
        for (const baseline of names.filter((n) => !n.startsWith('client'))) {
          const pair = (f) =>
            spread(
              byName[subject].map((r, i) => f(r) / f(byName[baseline][i])),
              2,
            );
          ratios.push({
            operation: op,
            concurrency: Number(conc),
            subject,
            baseline,
            throughput: pair((r) => r.throughput),
            cpuPerCall: pair((r) => r.cpuUs),
          });
        }
      }
    }
  }
  const heap = [];
  for (const [op, byName] of Object.entries(allocation)) {
    for (const name of names) {
      const perCall = byName[name];
      heap.push({
        operation: op,
        contender: name,
        samples: perCall.length,
        bytesPerCall: perCall.length ? spread(perCall, 0) : null,
        mbPer100kCalls: perCall.length
          ? spread(
              perCall.map((b) => (b * 1e5) / 1e6),
              1,
            )
          : null,
      });
    }
  }
  return { cells, ratios, heap };
}

module.exports = {
  benchClient,
  allocationOf,
  contenders,
  HEADERS,
  JSON_HEADERS,
  SERVICE_PATH,
  AUTH_PATH,
};
