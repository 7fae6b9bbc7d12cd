import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { MessageDefinition, MessageDefinitionField } from '@foxglove/message-definition';
import { parse } from '@foxglove/rosmsg';
import { ros2jazzy } from '@foxglove/rosmsg-msgs-common';
import { builtinMessageFor, toRos2MsgText } from './definitionText.js';
import { MessageCodec } from './MessageCodec.js';
import { RosError } from './RosError.js';
import { normalizeTypeName, parseTypeName } from './rosNames.js';

/** Options of {@link MessageDefinitionRegistry}. */
export interface MessageDefinitionRegistryOptions {
  /** Start with the ROS 2 Jazzy common interfaces of `@foxglove/rosmsg-msgs-common`. Default true. */
  readonly common?: boolean;
}

/** `pkg/msg/Type` → the key the parsed definitions use, `pkg/Type`. */
function definitionKey(rosType: string): string {
  const { pkg, type } = parseTypeName(rosType);
  return `${pkg}/${type}`;
}

function rosTypeOf(key: string): string {
  return normalizeTypeName(key);
}

/**
 * Complex field types inside one package's definitions may be written `Type`, `pkg/Type` or
 * `pkg/msg/Type`; the serialisers look nested types up by exact name, so all become `pkg/Type`.
 */
function qualify(definition: MessageDefinition, ownPackage: string): MessageDefinition {
  const definitions = definition.definitions.map((field): MessageDefinitionField => {
    if (field.isComplex !== true) {
      return field;
    }
    const parts = field.type.split('/');
    const type =
      parts.length === 1
        ? `${ownPackage}/${field.type}`
        : parts.length === 3
          ? `${parts[0]}/${parts[2]}`
          : field.type;
    return { ...field, type };
  });
  return { ...definition, definitions };
}

/**
 * Where ROS 2 message definitions come from: the common interfaces (std_msgs, sensor_msgs,
 * geometry_msgs, nav_msgs, diagnostic_msgs, … as in ROS 2 Jazzy), the robot's own `.msg` files
 * (`<dir>/<pkg>/msg/<Type>.msg`), and definition texts received at run time (MCAP schemas,
 * retained MQTT definitions). Hands out a cached {@link MessageCodec} per type.
 *
 * @example
 * const registry = new MessageDefinitionRegistry();
 * await registry.loadMsgDirectory('./robot_msgs_ws/src');
 * const codec = registry.codec<LaserScan>('sensor_msgs/msg/LaserScan');
 */
export class MessageDefinitionRegistry {
  readonly #definitions = new Map<string, MessageDefinition>();
  readonly #codecs = new Map<string, MessageCodec>();
  readonly #sources: string[] = [];

  constructor(options: MessageDefinitionRegistryOptions = {}) {
    if (options.common ?? true) {
      const common = Object.values(ros2jazzy);
      for (const definition of common) {
        this.#definitions.set(definition.name ?? '', definition);
      }
      this.#sources.push(
        `the ROS 2 Jazzy common interfaces (${common.length} types, @foxglove/rosmsg-msgs-common)`,
      );
    }
  }

  /** Every known type, `pkg/msg/Type`, sorted. */
  types(): string[] {
    return [...this.#definitions.keys()].map(rosTypeOf).sort();
  }

  has(type: string): boolean {
    return this.#definitions.has(definitionKey(type));
  }

  /**
   * Loads every `.msg` file under a directory: either a package (`<dir>/msg/*.msg`, package name
   * = directory name) or a directory of packages (`<dir>/<pkg>/msg/*.msg`). Returns the types
   * loaded. Throws `ROS_DEFINITION_INVALID` naming the file that does not parse.
   */
  async loadMsgDirectory(dir: string): Promise<string[]> {
    const packages: { pkg: string; msgDir: string }[] = [];
    if (await isDirectory(join(dir, 'msg'))) {
      packages.push({ pkg: basename(dir), msgDir: join(dir, 'msg') });
    } else {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.isDirectory() && (await isDirectory(join(dir, entry.name, 'msg')))) {
          packages.push({ pkg: entry.name, msgDir: join(dir, entry.name, 'msg') });
        }
      }
    }
    const loaded: string[] = [];
    for (const { pkg, msgDir } of packages) {
      for (const file of (await readdir(msgDir)).filter((f) => f.endsWith('.msg')).sort()) {
        const type = `${pkg}/msg/${file.slice(0, -'.msg'.length)}`;
        this.addMsgFile(type, await readFile(join(msgDir, file), 'utf8'), join(msgDir, file));
        loaded.push(type);
      }
    }
    this.#sources.push(`.msg files under ${dir} (${loaded.length} types)`);
    return loaded;
  }

  /**
   * Adds one `.msg` file's text for `type` (`pkg/msg/Type`). Types it names without a package
   * are taken from the same package, as in ROS 2.
   */
  addMsgFile(type: string, text: string, file?: string): void {
    const key = definitionKey(type);
    const [root] = this.#parse(text, file ?? type);
    this.#add(qualify({ name: key, definitions: root?.definitions ?? [] }, parseTypeName(type).pkg));
  }

  /**
   * Adds a full definition text: the root type followed by its dependencies separated by `=`
   * lines and `MSG: pkg/Type` headers — what {@link definitionText} returns, MCAP `ros2msg`
   * schemas hold and fleetloop publishes retained over MQTT.
   */
  addDefinitionText(type: string, text: string): void {
    const key = definitionKey(type);
    const [root, ...dependencies] = this.#parse(text, type);
    for (const dependency of dependencies) {
      const name = dependency.name ?? '';
      const depKey = definitionKey(name);
      this.#add(qualify({ ...dependency, name: depKey }, parseTypeName(depKey).pkg));
    }
    this.#add(qualify({ name: key, definitions: root?.definitions ?? [] }, parseTypeName(type).pkg));
    if (!this.#sources.includes('definitions added at run time')) {
      this.#sources.push('definitions added at run time');
    }
  }

  /**
   * The definition of `type` first, then every type it depends on (breadth-first). Throws
   * `ROS_UNKNOWN_TYPE` naming the missing type, who needs it, and where definitions were searched.
   */
  definitions(type: string): MessageDefinition[] {
    const rootKey = definitionKey(type);
    const root = this.#lookup(rootKey, undefined);
    const ordered: MessageDefinition[] = [root];
    const seen = new Set([rootKey]);
    for (let i = 0; i < ordered.length; i++) {
      const current = ordered[i] as MessageDefinition;
      for (const field of current.definitions) {
        if (field.isComplex === true && !seen.has(field.type)) {
          seen.add(field.type);
          ordered.push(this.#lookup(field.type, `field "${field.name}" of ${rosTypeOf(current.name ?? '')}`));
        }
      }
    }
    return ordered;
  }

  /**
   * The ROS 2 `.msg` text of `type` with all its dependencies (the `ros2msg` schema form).
   * `time` and `duration` appear as `builtin_interfaces/Time` and `builtin_interfaces/Duration`.
   */
  definitionText(type: string): string {
    const [root, ...dependencies] = this.definitions(type);
    const listed = new Set(dependencies.map((d) => d.name));
    const builtins: MessageDefinition[] = [];
    for (const definition of [root, ...dependencies]) {
      for (const field of definition?.definitions ?? []) {
        const builtin = builtinMessageFor(field.type);
        if (builtin !== undefined && !listed.has(builtin)) {
          listed.add(builtin);
          builtins.push({
            name: builtin,
            definitions: [
              { name: 'sec', type: 'int32', isComplex: false, isArray: false },
              { name: 'nanosec', type: 'uint32', isComplex: false, isArray: false },
            ],
          });
        }
      }
    }
    return toRos2MsgText(root as MessageDefinition, [...dependencies, ...builtins]);
  }

  /** The codec of `type`, created on first use. Throws `ROS_UNKNOWN_TYPE` for an unknown type. */
  codec<T = unknown>(type: string): MessageCodec<T> {
    const rosType = normalizeTypeName(type);
    let codec = this.#codecs.get(rosType);
    if (codec === undefined) {
      codec = new MessageCodec(rosType, this.definitions(rosType));
      this.#codecs.set(rosType, codec);
    }
    return codec as MessageCodec<T>;
  }

  #lookup(key: string, neededBy: string | undefined): MessageDefinition {
    const definition = this.#definitions.get(key);
    if (definition === undefined) {
      const needed = neededBy === undefined ? '' : ` (needed by ${neededBy})`;
      throw new RosError(
        'ROS_UNKNOWN_TYPE',
        `Unknown ROS message type ${rosTypeOf(key)}${needed}. Searched: ${this.#sources.join('; ') || 'nothing'}. ` +
          `Add the package's msg directory (<dir>/<pkg>/msg/<Type>.msg) to the registry.`,
      );
    }
    return definition;
  }

  #add(definition: MessageDefinition): void {
    this.#definitions.set(definition.name ?? '', definition);
    this.#codecs.clear();
  }

  #parse(text: string, source: string): MessageDefinition[] {
    try {
      return parse(text, { ros2: true, skipTypeFixup: true });
    } catch (error) {
      throw new RosError(
        'ROS_DEFINITION_INVALID',
        `Cannot parse the message definition in ${source}: ${error instanceof Error ? error.message : String(error)}.`,
        { cause: error },
      );
    }
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return false;
    }
    throw error;
  }
}
