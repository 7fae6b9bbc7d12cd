/**
 * The Cyclone DDS transport: {@link DdsTransport} and the ROS 2 ↔ DDS naming and configuration
 * rules it follows.
 */
export { DdsTransport, type DdsTransportOptions } from './DdsTransport.js';
export { DdsWriter } from './DdsWriter.js';
export { DdsReader } from './DdsReader.js';
export { DdsError, type DdsErrorCode } from './DdsError.js';
export type { DdsQosProfile } from './ddsQos.js';
export {
  cycloneConfigString,
  cycloneConfigXml,
  rosNetworkFromEnv,
  type DiscoveryRange,
  type RosNetworkSettings,
} from './cycloneConfig.js';
export { loadDdsNative } from './native.js';
