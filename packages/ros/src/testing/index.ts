/**
 * Test helpers for `@fleetloop/ros` and the packages built on it: the transport contract suite
 * and awaitable collectors. Not part of the build; import as `@fleetloop/ros/testing` from tests.
 */
export { describeTransportContract, type TransportPair } from '../transport/transport.case.js';
export { Collector } from './Collector.js';
export { waitUntil } from './waitUntil.js';
