// Builds the Cyclone DDS addon at `npm install`. Without Cyclone DDS the install still succeeds
// (the in-process transport needs no addon); DdsTransport then fails with DDS_LIBRARY_MISSING,
// naming the package to install. An addon newer than its sources is kept: Node-API binaries do
// not depend on the Node version, and rebuilding would remove it while other processes use it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';

const HEADER = '/usr/include/dds/dds.h';
const ADDON = 'build/Release/fleetloop_dds.node';
const FIX = 'apt-get install cyclonedds-dev, then npm run build:native -w packages/ros';

function upToDate() {
  if (!existsSync(ADDON)) return false;
  const built = statSync(ADDON).mtimeMs;
  const sources = ['binding.gyp', ...readdirSync('native').map((f) => `native/${f}`)];
  return sources.every((f) => statSync(f).mtimeMs <= built);
}

if (!existsSync(HEADER)) {
  console.warn(
    `@fleetloop/ros: Cyclone DDS is not installed (${HEADER} is missing); the DDS transport is unavailable. Fix: ${FIX}`,
  );
} else if (!upToDate()) {
  // npm names its bundled node-gyp in npm_config_node_gyp for lifecycle scripts
  const gyp = process.env['npm_config_node_gyp'];
  const build =
    gyp === undefined
      ? spawnSync('node-gyp', ['rebuild'], { stdio: 'inherit', shell: true })
      : spawnSync(process.execPath, [gyp, 'rebuild'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.warn(
      `@fleetloop/ros: building the Cyclone DDS addon failed (exit ${build.status}); the DDS transport is unavailable. Fix: ${FIX}`,
    );
  }
}
