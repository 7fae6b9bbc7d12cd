/** One way a contract does not fit the robot, with the contract field that names it. */
export interface ContractMismatch {
  /** Path in `policy.yaml`, e.g. `observation.slices[0].source.type`. */
  readonly field: string;
  readonly expected: string;
  readonly found: string;
}

/** Renders mismatches one per line for an error message. */
export function formatMismatches(mismatches: readonly ContractMismatch[]): string {
  return mismatches.map((m) => `  ${m.field}: contract has ${m.expected}, robot has ${m.found}`).join('\n');
}
