import { randomInt } from 'node:crypto';
import { cycloneConfigString } from '../../src/dds/index.js';
import { DdsTransport } from '../../src/dds/index.js';

/**
 * A DDS network of its own for one test file: a random ROS domain (so parallel test files and
 * other DDS programs on this machine do not meet) on loopback only.
 */
export interface DdsTestNetwork {
  readonly domainId: number;
  /** CYCLONEDDS_URI for a C peer that must join this network. */
  readonly cycloneUri: string;
  /** Environment for a child process joining this network. */
  readonly env: NodeJS.ProcessEnv;
  transport(): DdsTransport;
}

export function ddsTestNetwork(): DdsTestNetwork {
  const domainId = randomInt(1, 233);
  const cycloneUri = cycloneConfigString({
    discoveryRange: 'localhost',
    staticPeers: [],
    userUri: undefined,
  });
  return {
    domainId,
    cycloneUri,
    env: { ...process.env, ROS_DOMAIN_ID: String(domainId), CYCLONEDDS_URI: cycloneUri },
    transport: () => new DdsTransport({ domainId, discoveryRange: 'localhost', env: {} }),
  };
}
