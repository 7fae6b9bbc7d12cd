import type { ActionComponent, PolicyContract } from '@fleetloop/registry';
import { RuntimeError } from '../RuntimeError.js';

/** What a component commands, as far as the safety filter's velocity limits are concerned. */
export type ComponentRole = 'linear' | 'angular' | 'other';

/** One action component, resolved for the runtime. */
export interface CommandComponent {
  readonly name: string;
  readonly topic: string;
  readonly type: string;
  readonly field: string;
  readonly role: ComponentRole;
  readonly min: number;
  readonly max: number;
}

/** One message to publish: a command topic (relative to the robot namespace), type and content. */
export interface CommandMessage {
  readonly topic: string;
  readonly type: string;
  readonly message: Record<string, unknown>;
}

const VELOCITY_TYPES = new Set(['geometry_msgs/msg/Twist', 'geometry_msgs/msg/TwistStamped']);

/**
 * Maps the policy's raw output to commands: `raw * scale + offset` clamped into each component's
 * [min, max], then to the messages of the contract's action targets. Non-finite values pass
 * through unchanged so the safety filter sees and stops them.
 */
export class ActionMapper {
  readonly components: readonly CommandComponent[];
  readonly #scale: Float64Array;
  readonly #offset: Float64Array;
  readonly #topics: readonly TargetTopic[];
  readonly #messages: readonly CommandMessage[];

  constructor(contract: PolicyContract) {
    const action = contract.action;
    this.components = action.components.map((c) => ({
      name: c.name,
      topic: c.target.topic,
      type: c.target.type,
      field: c.target.field,
      role: roleOf(c),
      min: c.min,
      max: c.max,
    }));
    this.#scale = Float64Array.from(action.components, (c) => c.scale);
    this.#offset = Float64Array.from(action.components, (c) => c.offset);
    const topics = new Map<
      string,
      { topic: string; type: string; setters: { index: number; set: Setter }[] }
    >();
    action.components.forEach((c, index) => {
      let entry = topics.get(c.target.topic);
      if (entry === undefined) {
        entry = { topic: c.target.topic, type: c.target.type, setters: [] };
        topics.set(c.target.topic, entry);
      } else if (entry.type !== c.target.type) {
        throw new RuntimeError(
          'CONTRACT_UNSUPPORTED',
          `action.components[${index}].target.type: topic "${c.target.topic}" is both ${entry.type} and ${c.target.type}`,
        );
      }
      entry.setters.push({
        index,
        set: setterFor(c.target.field, `action.components[${index}].target.field`),
      });
    });
    this.#topics = [...topics.values()];
    this.#messages = this.#topics.map(({ topic, type }) => ({ topic, type, message: template(type) }));
  }

  /** Number of components. */
  get size(): number {
    return this.components.length;
  }

  /** Writes the scaled and clamped command of each component into `out`. */
  scale(raw: ArrayLike<number>, out: Float64Array): void {
    for (let i = 0; i < this.components.length; i++) {
      const c = this.components[i] as CommandComponent;
      const value = (raw[i] as number) * (this.#scale[i] as number) + (this.#offset[i] as number);
      out[i] = Number.isNaN(value) ? value : value < c.min ? c.min : value > c.max ? c.max : value;
    }
  }

  /**
   * The messages carrying `values` (one per target topic). The message objects are reused by the
   * next call: publish (encode) them before calling again.
   */
  messages(values: ArrayLike<number>): readonly CommandMessage[] {
    for (let t = 0; t < this.#topics.length; t++) {
      const { setters } = this.#topics[t] as TargetTopic;
      const message = (this.#messages[t] as CommandMessage).message;
      for (let i = 0; i < setters.length; i++) {
        const { index, set } = setters[i] as { index: number; set: Setter };
        set(message, values[index] as number);
      }
    }
    return this.#messages;
  }
}

function roleOf(c: ActionComponent): ComponentRole {
  if (!VELOCITY_TYPES.has(c.target.type)) return 'other';
  if (/(^|\.)linear\./.test(c.target.field)) return 'linear';
  if (/(^|\.)angular\./.test(c.target.field)) return 'angular';
  return 'other';
}

type Setter = (message: Record<string, unknown>, value: number) => void;

interface TargetTopic {
  readonly topic: string;
  readonly type: string;
  readonly setters: { index: number; set: Setter }[];
}

function setterFor(field: string, where: string): Setter {
  const parts = field.split('.').map((part) => {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$/.exec(part);
    if (match === null) {
      throw new RuntimeError(
        'CONTRACT_UNSUPPORTED',
        `${where}: "${field}" — an action target is a field name with at most one [i] index per part, not a slice`,
      );
    }
    return { name: match[1] as string, index: match[2] === undefined ? undefined : Number(match[2]) };
  });
  const [first, second] = parts;
  if (parts.length === 2 && first?.index === undefined && second?.index === undefined) {
    // `linear.x` and the like: the common case, without the general walk.
    const [outer, inner] = [first?.name ?? '', second?.name ?? ''];
    return (message, value) => {
      ((message[outer] ??= {}) as Record<string, unknown>)[inner] = value;
    };
  }
  return (message, value) => {
    let node: Record<string, unknown> = message;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as { name: string; index: number | undefined };
      const last = i === parts.length - 1;
      if (part.index === undefined) {
        if (last) node[part.name] = value;
        else node = (node[part.name] ??= {}) as Record<string, unknown>;
        continue;
      }
      const array = (node[part.name] ??= []) as unknown[];
      while (array.length <= part.index) array.push(last ? 0 : {});
      if (last) array[part.index] = value;
      else node = array[part.index] as Record<string, unknown>;
    }
  };
}

/** A zero message of the commonly commanded types; others start empty (the encoder fills defaults). */
function template(type: string): Record<string, unknown> {
  const twist = (): Record<string, unknown> => ({
    linear: { x: 0, y: 0, z: 0 },
    angular: { x: 0, y: 0, z: 0 },
  });
  if (type === 'geometry_msgs/msg/Twist') return twist();
  if (type === 'geometry_msgs/msg/TwistStamped') {
    return { header: { stamp: { sec: 0, nanosec: 0 }, frame_id: '' }, twist: twist() };
  }
  return {};
}
