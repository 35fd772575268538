import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function readPackageVersion(): string {
  try {
    // lib/http/ and dist/http/ are both two levels below package.json.
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The `User-Agent` every request carries: `nestjs-verigator/<version>`. */
export const VERIGATOR_USER_AGENT = `nestjs-verigator/${readPackageVersion()}`;
