import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
};

/** The packages (not node: built-ins, not relative files) a folder's shipped files import. */
function packagesImportedBy(dir: string): Set<string> {
  const found = new Set<string>();
  for (const file of readdirSync(dir, { recursive: true }) as string[]) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
    const source = readFileSync(join(dir, file), 'utf8');
    for (const [, name] of source.matchAll(/(?:from |require\()'([^'.][^']*)'/g)) {
      if (name.startsWith('node:')) continue;
      found.add(name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]);
    }
  }
  return found;
}

describe('the simulator stays out of production installs', () => {
  const simulatorPackages = packagesImportedBy(__dirname);

  it('imports only optional peers, so installing nestjs-verigator installs none of them', () => {
    expect(simulatorPackages.size).toBeGreaterThan(0);
    for (const name of simulatorPackages) {
      expect({ name, dependency: pkg.dependencies?.[name] }).toEqual({
        name,
        dependency: undefined,
      });
      expect({ name, optional: pkg.peerDependenciesMeta?.[name]?.optional }).toEqual({
        name,
        optional: true,
      });
      expect(pkg.devDependencies?.[name]).toBeDefined();
    }
  });

  it('leaves no dependency that only the simulator used', () => {
    const library = packagesImportedBy(join(__dirname, '..'));
    for (const name of Object.keys(pkg.dependencies ?? {})) {
      expect({ name, usedByTheLibrary: library.has(name) }).toEqual({
        name,
        usedByTheLibrary: true,
      });
    }
  });
});
