// Builds the Cyclone DDS addon at `npm install`. Without Cyclone DDS the install still succeeds
// (the in-process transport needs no addon); DdsTransport then fails with DDS_LIBRARY_MISSING,
// naming the package to install.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const HEADER = '/usr/include/dds/dds.h';
const FIX = 'apt-get install cyclonedds-dev, then npm run build:native -w packages/ros';

if (!existsSync(HEADER)) {
  console.warn(
    `@fleetloop/ros: Cyclone DDS is not installed (${HEADER} is missing); the DDS transport is unavailable. Fix: ${FIX}`,
  );
  process.exit(0);
}
const build = spawnSync('node-gyp', ['rebuild'], { stdio: 'inherit', shell: true });
if (build.status !== 0) {
  console.warn(
    `@fleetloop/ros: building the Cyclone DDS addon failed (exit ${build.status}); the DDS transport is unavailable. Fix: ${FIX}`,
  );
}
