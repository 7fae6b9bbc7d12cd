import { createHash } from 'node:crypto';
import { RegistryError } from '../RegistryError.js';

/** Name of the manifest that lists every file of a policy package with its sha256. */
export const DIGESTS_FILE = 'digests';

/** One file of a policy package. */
export interface PackageFile {
  /** Path relative to the package directory, `/`-separated. */
  readonly path: string;
  /** Lower-case hex sha256 of the content. */
  readonly sha256: string;
  /** Size in bytes. */
  readonly size: number;
}

/** Hex sha256 of some bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Renders the digests manifest: one `<sha256>  <path>` line per file, sorted by path, in the format
 * of `sha256sum`, so `sha256sum -c digests` checks a package without fleetloop.
 */
export function formatDigests(files: readonly Pick<PackageFile, 'path' | 'sha256'>[]): string {
  return [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.path}\n`)
    .join('');
}

/**
 * Parses the digests manifest into path → sha256.
 *
 * @throws {RegistryError} `PACKAGE_DIGESTS_INVALID` naming the line that is not `<sha256>  <path>`.
 */
export function parseDigests(text: string, file = DIGESTS_FILE): Map<string, string> {
  const entries = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    const path = match?.[2];
    const digest = match?.[1];
    if (path === undefined || digest === undefined || path.includes('..') || path.startsWith('/')) {
      throw new RegistryError(
        'PACKAGE_DIGESTS_INVALID',
        `${file}:${i + 1} is not "<sha256>  <relative path>": ${JSON.stringify(line.slice(0, 100))}`,
      );
    }
    entries.set(path, digest);
  });
  return entries;
}
