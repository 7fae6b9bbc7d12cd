/**
 * Test helpers for `@fleetloop/ros` and the packages built on it: the transport contract suite,
 * awaitable collectors, and C Cyclone DDS peers (compiled and spawned). Not part of the build;
 * import as `@fleetloop/ros/testing` from tests.
 */
export { describeTransportContract, type TransportPair } from '../transport/transport.case.js';
export { buildDdsPeer, type DdsPeerSources } from './buildDdsPeer.js';
export { Collector } from './Collector.js';
export { DdsPeerProcess } from './DdsPeerProcess.js';
export { waitUntil } from './waitUntil.js';
