import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowMethods } from './http-io';
import type { RouteResponse } from './http-io';

/**
 * The page's policy: its own files only (no inline script, no third party), never framed, and
 * nothing a message could inject can load, submit or navigate anywhere else.
 */
export const INBOX_CONTENT_SECURITY_POLICY =
  "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The inbox page's files (shipped in `dist/testing/inbox`), by request path. */
const ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/_simulator/inbox/inbox.js': { file: 'inbox.js', type: 'text/javascript; charset=utf-8' },
  '/_simulator/inbox/inbox.css': { file: 'inbox.css', type: 'text/css; charset=utf-8' },
  '/_simulator/inbox/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

const cache = new Map<string, string>();

/** Whether `pathname` is one of the inbox page's files. */
export function isInboxAsset(pathname: string): boolean {
  return Object.hasOwn(ASSETS, pathname);
}

/** Serves one of the inbox page's static files, with its Content-Security-Policy. */
export function serveInboxAsset(method: string, pathname: string): RouteResponse {
  allowMethods(method, ['GET']);
  const { file, type } = ASSETS[pathname];
  let text = cache.get(file);
  if (text === undefined) {
    text = readFileSync(join(__dirname, 'inbox', file), 'utf8');
    cache.set(file, text);
  }
  return {
    status: 200,
    text,
    headers: {
      'content-type': type,
      'content-security-policy': INBOX_CONTENT_SECURITY_POLICY,
      'referrer-policy': 'no-referrer',
    },
  };
}
