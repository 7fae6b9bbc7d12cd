import { fileURLToPath } from 'node:url';
import { buildDdsPeer } from '@fleetloop/ros/testing';

const FIXTURES = new URL('../fixtures/dds/', import.meta.url);

/**
 * Compiles the C peer (fixtures/dds/sim_peer.c with the idlc-generated Twist type) once per
 * content hash into the temp directory and returns the executable's path.
 */
export function buildSimPeer(): string {
  return buildDdsPeer({
    name: 'sim_peer',
    idl: fileURLToPath(new URL('sim_twist.idl', FIXTURES)),
    source: fileURLToPath(new URL('sim_peer.c', FIXTURES)),
  });
}
