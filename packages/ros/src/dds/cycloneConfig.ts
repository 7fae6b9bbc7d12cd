/**
 * ROS 2 network settings (ROS_DOMAIN_ID, ROS_LOCALHOST_ONLY, ROS_AUTOMATIC_DISCOVERY_RANGE,
 * ROS_STATIC_PEERS) mapped to a Cyclone DDS configuration, the way rmw_cyclonedds maps them, so a
 * fleetloop process and a ROS 2 node with the same environment find each other.
 */
import { DdsError } from './DdsError.js';

/** How far automatic discovery reaches (ROS_AUTOMATIC_DISCOVERY_RANGE). */
export type DiscoveryRange = 'subnet' | 'localhost' | 'off' | 'system_default';

/** The ROS 2 network settings that shape the Cyclone configuration. */
export interface RosNetworkSettings {
  /** DDS domain, 0–232 (ROS_DOMAIN_ID; default 0). */
  readonly domainId: number;
  /** Discovery reach; `localhost` keeps all traffic on 127.0.0.1. */
  readonly discoveryRange: DiscoveryRange;
  /** Hosts always contacted by unicast discovery (ROS_STATIC_PEERS). */
  readonly staticPeers: readonly string[];
  /** The user's own Cyclone configuration (CYCLONEDDS_URI); applied last, so it wins. */
  readonly userUri: string | undefined;
}

const RANGES: Record<string, DiscoveryRange> = {
  SUBNET: 'subnet',
  LOCALHOST: 'localhost',
  OFF: 'off',
  SYSTEM_DEFAULT: 'system_default',
};

/** Reads the ROS 2 network settings from environment variables. */
export function rosNetworkFromEnv(env: NodeJS.ProcessEnv = process.env): RosNetworkSettings {
  const rawDomain = env['ROS_DOMAIN_ID']?.trim();
  const domainId = rawDomain === undefined || rawDomain === '' ? 0 : Number(rawDomain);
  if (!Number.isInteger(domainId) || domainId < 0 || domainId > 232) {
    throw new DdsError(
      'DDS_CONFIG_INVALID',
      `ROS_DOMAIN_ID="${rawDomain}" is not a ROS 2 domain: use an integer from 0 to 232`,
    );
  }
  const rawRange = env['ROS_AUTOMATIC_DISCOVERY_RANGE']?.trim().toUpperCase();
  let discoveryRange: DiscoveryRange = 'subnet';
  if (rawRange !== undefined && rawRange !== '') {
    const range = RANGES[rawRange];
    if (range === undefined) {
      throw new DdsError(
        'DDS_CONFIG_INVALID',
        `ROS_AUTOMATIC_DISCOVERY_RANGE="${rawRange}" is not one of ${Object.keys(RANGES).join(', ')}`,
      );
    }
    discoveryRange = range;
  } else if (env['ROS_LOCALHOST_ONLY']?.trim() === '1') {
    discoveryRange = 'localhost';
  }
  const staticPeers = (env['ROS_STATIC_PEERS'] ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const userUri = env['CYCLONEDDS_URI']?.trim();
  return { domainId, discoveryRange, staticPeers, userUri: userUri === '' ? undefined : userUri };
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The Cyclone XML that implements the discovery range and static peers; empty settings give an
 * empty domain element (Cyclone's defaults, i.e. `subnet`).
 */
export function cycloneConfigXml(settings: Omit<RosNetworkSettings, 'domainId' | 'userUri'>): string {
  const general: string[] = [];
  const discovery: string[] = [];
  switch (settings.discoveryRange) {
    case 'localhost':
      // Loopback only; multicast on loopback for participant discovery, unicast for data.
      general.push(
        '<Interfaces><NetworkInterface address="127.0.0.1" multicast="true"/></Interfaces>',
        '<AllowMulticast>spdp</AllowMulticast>',
      );
      break;
    case 'off':
      // No automatic discovery: only static peers (and this process) are found.
      general.push(
        '<Interfaces><NetworkInterface address="127.0.0.1"/></Interfaces>',
        '<AllowMulticast>false</AllowMulticast>',
      );
      break;
    case 'subnet':
    case 'system_default':
      break;
  }
  if (settings.staticPeers.length > 0) {
    discovery.push(
      '<ParticipantIndex>auto</ParticipantIndex>',
      '<MaxAutoParticipantIndex>32</MaxAutoParticipantIndex>',
      `<Peers>${settings.staticPeers.map((p) => `<Peer address="${escapeXml(p)}"/>`).join('')}</Peers>`,
    );
  }
  const parts = [
    general.length > 0 ? `<General>${general.join('')}</General>` : '',
    discovery.length > 0 ? `<Discovery>${discovery.join('')}</Discovery>` : '',
  ];
  return `<CycloneDDS><Domain Id="any">${parts.join('')}</Domain></CycloneDDS>`;
}

/**
 * The configuration string handed to `dds_create_domain`: the generated XML, then the user's
 * CYCLONEDDS_URI (Cyclone applies a comma-separated list in order, so the user's settings win).
 * Also usable as CYCLONEDDS_URI for a C peer that must join the same network.
 */
export function cycloneConfigString(settings: Omit<RosNetworkSettings, 'domainId'>): string {
  const xml = cycloneConfigXml(settings);
  return settings.userUri === undefined ? xml : `${xml},${settings.userUri}`;
}
