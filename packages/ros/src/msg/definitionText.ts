import type { MessageDefinition, MessageDefinitionField } from '@foxglove/message-definition';

/** Line between the root definition and each dependency, as rosbag2 writes `ros2msg` schemas. */
export const DEFINITION_SEPARATOR = '='.repeat(80);

/** `time`/`duration` are primitives in the parsed form but messages in ROS 2 `.msg` text. */
const BUILTIN_TYPES: Readonly<Record<string, string>> = {
  time: 'builtin_interfaces/Time',
  duration: 'builtin_interfaces/Duration',
};

function literal(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(literal).join(', ')}]`;
  }
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  return String(value);
}

function fieldLine(field: MessageDefinitionField): string {
  const base = BUILTIN_TYPES[field.type] ?? field.type;
  if (field.isConstant === true) {
    return `${base} ${field.name}=${field.valueText ?? literal(field.value)}`;
  }
  let type = field.upperBound === undefined ? base : `${base}<=${field.upperBound}`;
  if (field.isArray === true) {
    if (field.arrayLength !== undefined) {
      type += `[${field.arrayLength}]`;
    } else if (field.arrayUpperBound !== undefined) {
      type += `[<=${field.arrayUpperBound}]`;
    } else {
      type += '[]';
    }
  }
  const defaultValue = field.defaultValue === undefined ? '' : ` ${literal(field.defaultValue)}`;
  return `${type} ${field.name}${defaultValue}`;
}

/** The body of one definition in `.msg` syntax. */
export function definitionBody(definition: MessageDefinition): string {
  return definition.definitions.map(fieldLine).join('\n');
}

/**
 * The ROS 2 `.msg` text of a root definition followed by every dependency after a line of
 * `=` and `MSG: pkg/Type` — the `ros2msg` schema encoding MCAP and rosbag2 use, and the form
 * fleetloop publishes retained on MQTT.
 *
 * @param root the root definition
 * @param dependencies the definitions it needs, in the order they should be listed
 */
export function toRos2MsgText(root: MessageDefinition, dependencies: readonly MessageDefinition[]): string {
  const sections = [definitionBody(root)];
  for (const dependency of dependencies) {
    sections.push(`${DEFINITION_SEPARATOR}\nMSG: ${dependency.name ?? ''}\n${definitionBody(dependency)}`);
  }
  return `${sections.join('\n')}\n`;
}

/** The builtin message a `time`/`duration` primitive stands for, if it is one. */
export function builtinMessageFor(primitive: string): string | undefined {
  return BUILTIN_TYPES[primitive];
}
