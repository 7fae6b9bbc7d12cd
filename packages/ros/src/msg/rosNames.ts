import { RosError } from './RosError.js';

/**
 * ROS 2 name rules and the rmw_cyclonedds mapping of ROS names to DDS names. Pure functions: the
 * DDS transport, the in-process transport and the node layer all validate through these, so a bad
 * name fails the same way everywhere.
 */

const TOKEN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PACKAGE = /^[a-z][a-z0-9_]*$/;
const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;
const DDS_TOPIC_PREFIX = 'rt';

function invalidName(kind: string, name: string, reason: string, fix: string): RosError {
  return new RosError('ROS_INVALID_NAME', `Invalid ROS ${kind} ${JSON.stringify(name)}: ${reason}. ${fix}`);
}

function checkTokens(kind: string, name: string, body: string): void {
  for (const token of body.split('/')) {
    if (token === '') {
      throw invalidName(
        kind,
        name,
        'it contains an empty segment ("//" or a trailing "/")',
        'Remove the extra "/".',
      );
    }
    if (!TOKEN.test(token)) {
      throw invalidName(
        kind,
        name,
        `segment ${JSON.stringify(token)} must start with a letter or "_" and contain only letters, digits and "_"`,
        'Rename the segment.',
      );
    }
  }
}

/**
 * Checks a fully-qualified ROS topic name (`/robot_3/scan`). Throws `ROS_INVALID_NAME` naming the
 * offending segment.
 */
export function validateTopicName(name: string): void {
  if (!name.startsWith('/')) {
    throw invalidName(
      'topic',
      name,
      'it is not absolute',
      'Start it with "/" or resolve it against a namespace.',
    );
  }
  if (name === '/') {
    throw invalidName('topic', name, 'it has no name after the "/"', 'Give the topic a name, e.g. "/scan".');
  }
  checkTokens('topic', name, name.slice(1));
}

/** Checks a ROS namespace: `/` or an absolute name such as `/robot_3`. */
export function validateNamespace(namespace: string): void {
  if (namespace === '/') {
    return;
  }
  if (!namespace.startsWith('/')) {
    throw invalidName('namespace', namespace, 'it is not absolute', 'Start it with "/", e.g. "/robot_3".');
  }
  checkTokens('namespace', namespace, namespace.slice(1));
}

/**
 * Resolves a topic name against a namespace as ROS 2 does: absolute names stay, relative ones are
 * appended to the namespace, and `~` expands to the node's own namespace (`<ns>/<node>`).
 *
 * @example resolveTopicName('/robot_3', 'scan') // '/robot_3/scan'
 */
export function resolveTopicName(namespace: string, name: string, nodeName?: string): string {
  validateNamespace(namespace);
  const base = namespace === '/' ? '' : namespace;
  let resolved: string;
  if (name.startsWith('/')) {
    resolved = name;
  } else if (name === '~' || name.startsWith('~/')) {
    if (nodeName === undefined) {
      throw invalidName(
        'topic',
        name,
        '"~" needs a node name',
        'Use a node, or an absolute or relative name.',
      );
    }
    resolved = `${base}/${nodeName}${name.slice(1)}`;
  } else {
    resolved = `${base}/${name}`;
  }
  validateTopicName(resolved);
  return resolved;
}

/** ROS topic → DDS topic as rmw_cyclonedds names it: `/robot_3/scan` → `rt/robot_3/scan`. */
export function rosTopicToDds(topic: string): string {
  validateTopicName(topic);
  return `${DDS_TOPIC_PREFIX}${topic}`;
}

/**
 * DDS topic → ROS topic: `rt/robot_3/scan` → `/robot_3/scan`. Returns `undefined` for DDS topics
 * that are not ROS topics (services `rq/`/`rr/`, `ros_discovery_info`, plain DDS applications).
 */
export function ddsTopicToRos(ddsTopic: string): string | undefined {
  if (!ddsTopic.startsWith(`${DDS_TOPIC_PREFIX}/`)) {
    return undefined;
  }
  return ddsTopic.slice(DDS_TOPIC_PREFIX.length);
}

/** The parts of a ROS 2 interface type name. */
export interface RosTypeName {
  readonly pkg: string;
  readonly type: string;
}

/**
 * Splits and checks a ROS type name. Accepts `pkg/msg/Type` and the short `pkg/Type`.
 */
export function parseTypeName(name: string): RosTypeName {
  const parts = name.split('/');
  let pkg: string | undefined;
  let type: string | undefined;
  if (parts.length === 3 && parts[1] === 'msg') {
    [pkg, , type] = parts;
  } else if (parts.length === 2) {
    [pkg, type] = parts;
  }
  if (pkg === undefined || type === undefined) {
    throw invalidName(
      'type',
      name,
      'it is not of the form "pkg/msg/Type"',
      'Write it like "sensor_msgs/msg/LaserScan".',
    );
  }
  if (!PACKAGE.test(pkg)) {
    throw invalidName(
      'type',
      name,
      `package ${JSON.stringify(pkg)} must be lower-case letters, digits and "_", starting with a letter`,
      'Use the package name as in its package.xml.',
    );
  }
  if (!TYPE_NAME.test(type)) {
    throw invalidName(
      'type',
      name,
      `type ${JSON.stringify(type)} must be CamelCase letters and digits, starting with an upper-case letter`,
      'Use the .msg file name without extension.',
    );
  }
  return { pkg, type };
}

/** Normalises `pkg/Type` or `pkg/msg/Type` to the canonical ROS 2 form `pkg/msg/Type`. */
export function normalizeTypeName(name: string): string {
  const { pkg, type } = parseTypeName(name);
  return `${pkg}/msg/${type}`;
}

/** ROS type → DDS type as rmw_cyclonedds names it: `pkg/msg/Type` → `pkg::msg::dds_::Type_`. */
export function rosTypeToDds(name: string): string {
  const { pkg, type } = parseTypeName(name);
  return `${pkg}::msg::dds_::${type}_`;
}

/**
 * DDS type → ROS type: `pkg::msg::dds_::Type_` → `pkg/msg/Type`. Returns `undefined` for DDS
 * types that do not follow the ROS 2 message convention.
 */
export function ddsTypeToRos(ddsType: string): string | undefined {
  const match = /^([a-z][a-z0-9_]*)::msg::dds_::([A-Z][A-Za-z0-9]*)_$/.exec(ddsType);
  if (match === null) {
    return undefined;
  }
  return `${match[1]}/msg/${match[2]}`;
}
