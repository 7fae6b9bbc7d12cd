import type { PolicyContract, TopicField } from '@fleetloop/registry';
import { namedLayoutMismatch } from '../observation/namedLayouts.js';
import type { ContractMismatch } from './ContractMismatch.js';

/** What the runtime knows of the robot it drives. */
export interface RobotDescription {
  /** Robot type, compared with the contract's `robotType`. */
  readonly type: string;
  /** Topic (relative to the namespace) → ROS type, as configured or seen on the robot's graph. */
  readonly topics: ReadonlyMap<string, string>;
  /**
   * True when `topics` lists every topic the robot has (declared in configuration): a contract
   * topic missing from it is then a mismatch. Topics only discovered may still appear later.
   */
  readonly complete: boolean;
}

/** Message definitions, to check that a field path exists in its type. */
export interface MessageDefinitions {
  has(type: string): boolean;
  definitions(type: string): readonly {
    readonly name?: string | undefined;
    readonly definitions: readonly {
      readonly name: string;
      readonly type: string;
      readonly isComplex?: boolean | undefined;
      readonly isArray?: boolean | undefined;
      readonly isConstant?: boolean | undefined;
    }[];
  }[];
}

/**
 * Checks a contract against the robot: its type, the type of every source and target topic, and
 * that every field path exists in its message definition. Returns every mismatch (empty = fits).
 */
export function checkContractAgainstRobot(
  contract: PolicyContract,
  robot: RobotDescription,
  definitions: MessageDefinitions,
): ContractMismatch[] {
  const mismatches: ContractMismatch[] = [];
  if (contract.robotType !== robot.type) {
    mismatches.push({ field: 'robotType', expected: contract.robotType, found: `robot type ${robot.type}` });
  }
  const check = (where: string, ref: TopicField): void => {
    const actual = robot.topics.get(ref.topic);
    if (actual === undefined) {
      if (robot.complete) {
        mismatches.push({
          field: `${where}.topic`,
          expected: `topic "${ref.topic}" on the robot`,
          found: 'no such topic',
        });
      }
    } else if (actual !== ref.type) {
      mismatches.push({ field: `${where}.type`, expected: ref.type, found: `${ref.topic} is ${actual}` });
    }
    const problem = fieldProblem(ref, definitions);
    if (problem !== undefined)
      mismatches.push({ field: `${where}.field`, expected: ref.field, found: problem });
  };
  const layout = namedLayoutMismatch(contract);
  if (layout !== undefined) mismatches.push(layout);
  contract.observation.slices.forEach((slice, i) => {
    if (!('previousAction' in slice.source)) check(`observation.slices[${i}].source`, slice.source);
    if (slice.transform?.kind === 'goal-polar')
      check(`observation.slices[${i}].transform.pose`, slice.transform.pose);
  });
  contract.action.components.forEach((component, i) =>
    check(`action.components[${i}].target`, component.target),
  );
  return mismatches;
}

function fieldProblem(ref: TopicField, definitions: MessageDefinitions): string | undefined {
  if (!definitions.has(ref.type)) return `no definition of ${ref.type} to check the field against`;
  const all = definitions.definitions(ref.type);
  const byName = new Map(all.map((d) => [d.name ?? '', d]));
  let current = all[0];
  let typeName = ref.type;
  for (const part of ref.field.split('.')) {
    const name = part.replace(/\[.*$/, '');
    const field = current?.definitions.find((f) => f.name === name && f.isConstant !== true);
    if (field === undefined) return `${typeName} has no field "${name}"`;
    if (part.includes('[') && field.isArray !== true) return `${typeName}.${name} is not an array`;
    typeName = field.type;
    current = field.isComplex === true ? byName.get(field.type) : undefined;
  }
  return undefined;
}
