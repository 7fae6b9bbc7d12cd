import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DdsError } from './DdsError.js';
import { loadDdsNative } from './native.js';

describe('loadDdsNative', () => {
  it('loads the built addon and reports the Cyclone version it was built against', () => {
    expect(loadDdsNative().version()).toBe('0.10.2');
  });

  it('names the Debian package to install when the addon is missing', () => {
    const missing = join(tmpdir(), 'no-such-dir', 'fleetloop_dds.node');
    const error = (() => {
      try {
        loadDdsNative(missing);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DdsError);
    expect(error).toMatchObject({ code: 'DDS_LIBRARY_MISSING' });
    expect((error as DdsError).message).toContain('apt-get install cyclonedds-dev');
    expect((error as DdsError).message).toContain('was not built');
  });

  it('names the Debian package when the addon cannot be loaded', () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'fleetloop-dds-')), 'fleetloop_dds.node');
    writeFileSync(broken, 'not a shared object');
    expect(() => loadDdsNative(broken)).toThrow(/failed to load.*apt-get install cyclonedds-dev/s);
  });
});
