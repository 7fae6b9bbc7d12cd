import type { PolicyContract } from '@fleetloop/registry';
import { ActionMapper } from '../action/ActionMapper.js';
import { ObservationAssembler } from '../observation/ObservationAssembler.js';
import type { PolicyModel } from './PolicyModel.js';

/** Where a loaded policy came from and which content it is. */
export interface PolicyIdentity {
  /** Human-facing version, e.g. `nav-bc@7` or the directory name. */
  readonly version: string;
  /** `sha256:<hex>` of the package's digests manifest (the content identity). */
  readonly digest: string;
}

/**
 * A policy ready to run: its contract, the model session, and the observation assembler and
 * action mapper compiled from the contract.
 */
export class LoadedPolicy implements PolicyIdentity {
  readonly version: string;
  readonly digest: string;
  readonly contract: PolicyContract;
  readonly model: PolicyModel;
  readonly assembler: ObservationAssembler;
  readonly mapper: ActionMapper;

  constructor(identity: PolicyIdentity, contract: PolicyContract, model: PolicyModel) {
    this.version = identity.version;
    this.digest = identity.digest;
    this.contract = contract;
    this.model = model;
    this.assembler = new ObservationAssembler(contract);
    this.mapper = new ActionMapper(contract);
  }

  /** Control period of the contract, ms. */
  get periodMs(): number {
    return this.contract.controlPeriodMs;
  }

  async release(): Promise<void> {
    await this.model.release();
  }
}
