// The simulator's inbox page. Everything that comes from the simulator (messages, usernames,
// fault bodies, request paths) is rendered with textContent, never as markup.
'use strict';

(function inbox() {
  const CONTROL = '/_simulator';
  const MESSAGE_LIMIT = 50;
  const REQUEST_LIMIT = 30;

  /** Enrolled devices this page shows, by "serviceId/userId": { otpauthUrl, code, until, version }. */
  const devices = new Map();
  let refreshTimer;
  /** Whether the event stream is open, so that what the page shows follows every change. */
  let streamOpen = false;

  /** Creates an element with text children; attributes are set as plain strings. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== undefined && value !== null && value !== false) {
        node.setAttribute(name, String(value));
      }
    }
    for (const child of children) {
      if (child !== undefined && child !== null) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  async function getJson(path) {
    const res = await fetch(CONTROL + path, { cache: 'no-store' });
    if (!res.ok) {
      throw new Error(await errorMessage(res));
    }
    return res.json();
  }

  /** Writes through the control API: JSON only, same origin only. */
  async function send(method, path, body) {
    const res = await fetch(CONTROL + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      throw new Error(await errorMessage(res));
    }
    return res.status === 204 ? undefined : res.json();
  }

  async function errorMessage(res) {
    try {
      const body = await res.json();
      return typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
    } catch {
      return `HTTP ${res.status}`;
    }
  }

  function time(iso) {
    const date = new Date(iso);
    return el('time', { datetime: iso, title: iso }, date.toLocaleTimeString());
  }

  function showList(listId, emptyId, items) {
    byId(listId).replaceChildren(...items);
    byId(emptyId).hidden = items.length > 0;
  }

  // Outbox

  function renderOutbox(messages, services) {
    const names = new Map();
    for (const service of services) {
      for (const user of service.users) {
        names.set(`${service.id}/${user.id}`, user.username);
      }
    }
    const serviceNames = new Map(services.map((service) => [service.id, service.name]));
    const cards = messages
      .slice()
      .reverse()
      .map((message) =>
        el(
          'li',
          { class: `card message status-${message.status}` },
          el(
            'div',
            { class: 'card-head' },
            el('span', { class: 'code', 'aria-label': 'code' }, message.code),
            el('span', { class: 'badge' }, message.status),
          ),
          el('p', { class: 'text' }, message.text),
          el(
            'dl',
            { class: 'meta' },
            el('dt', {}, 'To'),
            el('dd', { class: 'to' }, message.to),
            el('dt', {}, 'User'),
            el(
              'dd',
              { class: 'user' },
              names.get(`${message.serviceId}/${message.userId}`) ?? message.userId,
            ),
            el('dt', {}, 'Service'),
            el('dd', {}, serviceNames.get(message.serviceId) ?? message.serviceId),
            el('dt', {}, 'Sent'),
            el('dd', {}, time(message.sentAt)),
          ),
        ),
      );
    showList('outbox', 'outbox-empty', cards);
  }

  // Services, users and TOTP devices

  function renderServices(services) {
    const blocks = services.map((service) =>
      el(
        'article',
        { class: 'service card' },
        el('h3', {}, service.name, ' ', el('span', { class: 'hint' }, service.id)),
        service.users.length === 0
          ? el('p', { class: 'empty' }, 'No users yet.')
          : el('ul', { class: 'users' }, ...service.users.map((user) => renderUser(service, user))),
      ),
    );
    showList('services', 'services-empty', blocks);
  }

  function renderUser(service, user) {
    const key = `${service.id}/${user.id}`;
    if (!user.hasDevice) {
      devices.delete(key);
    } else if (!devices.has(key)) {
      // A device enrolled elsewhere (or before a reload): show its QR code and current code.
      devices.set(key, { version: Date.now() });
      refreshTotp(service.id, user.id).then(() => showCode(key));
    }
    const device = devices.get(key);
    const item = el(
      'li',
      { class: 'user-row', 'data-user-id': user.id },
      el(
        'div',
        { class: 'user-head' },
        el('span', { class: 'username' }, user.username),
        el('span', { class: 'phone' }, user.phoneNumber),
        el(
          'button',
          { type: 'button', class: 'enrol' },
          device ? 'Re-enrol TOTP device' : 'Enrol TOTP device',
        ),
      ),
    );
    item.querySelector('.enrol').addEventListener('click', () => enrol(service.id, user.id));
    if (device && user.hasDevice) {
      item.append(deviceView(service, user, key, device));
    }
    return item;
  }

  /**
   * The device's QR code and current code. Kept across refreshes (same node while the device is
   * the same), so the image neither reloads nor flickers when the lists are redrawn.
   */
  function deviceView(service, user, key, device) {
    if (device.view === undefined) {
      const base = `${CONTROL}/service/${encodeURIComponent(service.id)}/users/${encodeURIComponent(user.id)}`;
      device.view = el(
        'div',
        { class: 'device' },
        el('img', {
          class: 'qr',
          src: `${base}/qr.svg?v=${device.version}`,
          alt: 'QR code of the otpauth:// URL: scan it with an authenticator app',
          width: 200,
          height: 200,
        }),
        el(
          'div',
          { class: 'totp' },
          el('span', { class: 'hint' }, 'Current code'),
          el('span', { class: 'totp-code', 'data-totp': key }, device.code ?? ''),
          el('span', { class: 'totp-left', 'data-totp-left': key }, secondsLeft(device)),
          device.otpauthUrl ? el('code', { class: 'otpauth' }, device.otpauthUrl) : undefined,
        ),
      );
      // without the optional package uqr the simulator draws no QR code (501): say how to get one
      const qr = device.view.querySelector('img.qr');
      qr.addEventListener('error', () => {
        qr.replaceWith(
          el('p', { class: 'hint qr-missing' }, 'QR codes need uqr: npm install --save-dev uqr'),
        );
      });
    }
    return device.view;
  }

  function secondsLeft(device) {
    if (device.until === undefined) {
      return '';
    }
    return `${Math.max(0, Math.ceil((device.until - Date.now()) / 1000))} s left`;
  }

  async function enrol(serviceId, userId) {
    const path = `/service/${encodeURIComponent(serviceId)}/users/${encodeURIComponent(userId)}/devices`;
    const enrolled = await send('POST', path, {});
    const key = `${serviceId}/${userId}`;
    devices.set(key, { otpauthUrl: enrolled.otpauthUrl, version: Date.now() });
    await refreshTotp(serviceId, userId);
    showCode(key);
    scheduleRefresh();
  }

  async function refreshTotp(serviceId, userId) {
    const key = `${serviceId}/${userId}`;
    const device = devices.get(key);
    if (!device || device.loading) {
      return;
    }
    device.loading = true;
    try {
      const path = `/service/${encodeURIComponent(serviceId)}/users/${encodeURIComponent(userId)}/totp`;
      const now = await getJson(path);
      device.code = now.code;
      device.until = Date.now() + now.secondsLeft * 1000;
    } catch {
      devices.delete(key);
    } finally {
      device.loading = false;
    }
  }

  function showCode(key) {
    const device = devices.get(key);
    const code = document.querySelector(`[data-totp="${CSS.escape(key)}"]`);
    const left = document.querySelector(`[data-totp-left="${CSS.escape(key)}"]`);
    if (device && code && left) {
      code.textContent = device.code ?? '';
      left.textContent = secondsLeft(device);
    }
  }

  /** Once a second: count down, and fetch the next code when the current one runs out. */
  function tick() {
    for (const [key, device] of devices) {
      const left = document.querySelector(`[data-totp-left="${CSS.escape(key)}"]`);
      if (left) {
        left.textContent = secondsLeft(device);
      }
      if (device.until !== undefined && Date.now() >= device.until) {
        const [serviceId, userId] = key.split('/');
        device.until = undefined;
        refreshTotp(serviceId, userId).then(() => showCode(key));
      }
    }
  }

  // Faults

  function renderFaults(faults) {
    const rows = faults.map((fault) =>
      el(
        'li',
        { class: 'fault' },
        el('span', { class: 'method' }, fault.method ?? 'any'),
        el('code', { class: 'path' }, fault.path ?? '(any path)'),
        el('span', { class: 'what' }, describeFault(fault)),
        el('span', { class: 'hint' }, `${fault.remaining} left`),
      ),
    );
    showList('faults', 'faults-empty', rows);
  }

  function describeFault(fault) {
    const parts = [];
    if (fault.delayMs) parts.push(`delay ${fault.delayMs} ms`);
    if (fault.reset) parts.push('reset');
    if (fault.status !== undefined) parts.push(`status ${fault.status}`);
    for (const [name, value] of Object.entries(fault.headers ?? {}))
      parts.push(`${name}: ${value}`);
    if (fault.body !== undefined) {
      parts.push(typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body));
    }
    return parts.join(' · ');
  }

  function readFaultForm(form) {
    const data = new FormData(form);
    const fault = {};
    const text = (name) => String(data.get(name) ?? '').trim();
    if (text('method')) fault.method = text('method');
    if (text('path')) fault.path = text('path');
    for (const name of ['status', 'delayMs', 'times']) {
      if (text(name)) fault[name] = Number(text(name));
    }
    if (data.get('resetConnection')) fault.reset = true;
    if (text('headers')) {
      fault.headers = {};
      for (const line of text('headers').split('\n')) {
        const colon = line.indexOf(':');
        if (line.trim() === '') continue;
        if (colon < 1) throw new Error(`Header line "${line}" has no "Name: value"`);
        fault.headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
      }
    }
    if (text('body')) {
      try {
        fault.body = JSON.parse(text('body'));
      } catch {
        fault.body = text('body');
      }
    }
    return fault;
  }

  // Request log

  function renderRequests(requests) {
    const rows = requests
      .slice()
      .reverse()
      .map((request) =>
        el(
          'li',
          { class: 'request' },
          el(
            'details',
            {},
            el(
              'summary',
              {},
              el('span', { class: 'method' }, request.method),
              el('code', { class: 'path' }, request.path),
              request.authenticated
                ? undefined
                : el('span', { class: 'badge warn' }, 'unauthenticated'),
            ),
            el(
              'pre',
              {},
              JSON.stringify({ headers: request.headers, body: request.body }, null, 2),
            ),
          ),
        ),
      );
    showList('requests', 'requests-empty', rows);
  }

  // Refresh

  async function refresh() {
    const [messages, services, faults, requests] = await Promise.all([
      getJson(`/messages?limit=${MESSAGE_LIMIT}`),
      getJson('/services'),
      getJson('/faults'),
      getJson(`/requests?limit=${REQUEST_LIMIT}`),
    ]);
    renderOutbox(messages, services);
    renderServices(services);
    renderFaults(faults);
    renderRequests(requests);
  }

  /** Redraws soon; the page says "live" once a snapshot is drawn while the event stream is open. */
  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refresh().then(
        () => setConnection(streamOpen),
        () => setConnection(false),
      );
    }, 30);
  }

  function setConnection(live) {
    const status = byId('connection');
    status.textContent = live ? 'live' : 'reconnecting…';
    status.className = `connection ${live ? 'live' : 'offline'}`;
  }

  function connect() {
    const events = new EventSource(`${CONTROL}/events`);
    events.addEventListener('open', () => {
      streamOpen = true;
      scheduleRefresh();
    });
    events.addEventListener('change', scheduleRefresh);
    events.addEventListener('error', () => {
      streamOpen = false;
      setConnection(false);
    });
  }

  byId('fault-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    const error = byId('fault-error');
    error.textContent = '';
    try {
      await send('POST', '/faults', readFaultForm(form));
      form.reset();
      scheduleRefresh();
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
  byId('clear-faults').addEventListener('click', () => {
    send('DELETE', '/faults').then(scheduleRefresh, (failure) => {
      byId('fault-error').textContent = failure.message;
    });
  });

  connect();
  setInterval(tick, 1000);
  // Codes expire with no request to announce it: re-read the statuses now and then.
  setInterval(scheduleRefresh, 10_000);
})();
