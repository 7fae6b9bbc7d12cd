/**
 * @module @fleetloop/ros
 * ROS 2 for fleetloop without a ROS installation: transports (Cyclone DDS, in-process), CDR
 * codecs for ROS 2 message definitions, QoS profiles, and MCAP recording.
 */
export type * from './transport/RosTransport.js';
