import type { PackageFile } from '../contract/digests.js';
import type { PolicyContract } from '../contract/policyContractSchema.js';

/** Where a model version came from. */
export interface ModelLineage {
  /** Training run id (fleetloop run store or MLflow). */
  readonly runId?: string | undefined;
  /** Dataset name@version it was trained on. */
  readonly datasetVersion?: string | undefined;
  /** Source revision of the training code. */
  readonly codeVersion?: string | undefined;
  /** Run it was fine-tuned or distilled from. */
  readonly parentRunId?: string | undefined;
}

/** A model version as registered, before the store numbers it. */
export interface NewModelVersion {
  /** Model name. */
  readonly name: string;
  /** `sha256:<hex>` of the package's `digests` file: the identity of its content. */
  readonly digestsSha256: string;
  /** `sha256:<hex>` of `policy.yaml`. */
  readonly contractSha256: string;
  readonly contract: PolicyContract;
  /** Every file of the package (stored as content-addressed blobs). */
  readonly files: readonly PackageFile[];
  readonly metrics: Readonly<Record<string, number>>;
  readonly tags: readonly string[];
  readonly lineage: ModelLineage;
  /** Key id of the package signature, when signed. */
  readonly signatureKeyId?: string | undefined;
  /** Free text about the origin, e.g. `oci://host/repo@sha256:…` or `external:isaaclab`. */
  readonly source?: string | undefined;
  readonly createdAt: Date;
}

/** A registered model version. */
export interface ModelVersion extends NewModelVersion {
  /** Version number, monotonic per model name starting at 1; never reused. */
  readonly version: number;
  /** Aliases that point at this version now. */
  readonly aliases: readonly string[];
}

/** A request to point an alias at a version. */
export interface AliasMoveRequest {
  readonly model: string;
  readonly alias: string;
  readonly version: number;
  /**
   * Compare-and-set: the version the caller believes the alias points at now (`null`: the alias
   * must not exist yet). When it differs the move is refused with `ALIAS_CONFLICT`.
   */
  readonly expectedVersion?: number | null | undefined;
  /** Who moved it (user, pipeline). */
  readonly actor?: string | undefined;
  readonly reason?: string | undefined;
  readonly at: Date;
}

/** One recorded alias move. */
export interface AliasMove {
  readonly model: string;
  readonly alias: string;
  readonly version: number;
  /** The version the alias pointed at before this move; `null` for its first assignment. */
  readonly previousVersion: number | null;
  /** 1 for the first assignment, +1 for each later move of the same alias. */
  readonly revision: number;
  readonly movedAt: Date;
  readonly actor?: string | undefined;
  readonly reason?: string | undefined;
}

/** Comparison in a metric filter. */
export type MetricComparison = '>' | '>=' | '<' | '<=' | '=';

/** A condition on one metric, e.g. `successRate >= 0.9`. */
export interface MetricFilter {
  readonly name: string;
  readonly op: MetricComparison;
  readonly value: number;
}

/** Search conditions; all given conditions must hold. */
export interface ModelSearch {
  /** Model name; `*` matches any characters. */
  readonly name?: string | undefined;
  /** The version carries this tag. */
  readonly tag?: string | undefined;
  /** An alias of this name points at the version. */
  readonly alias?: string | undefined;
  readonly metrics?: readonly MetricFilter[] | undefined;
  /** At most this many results (newest first within a model). */
  readonly limit?: number | undefined;
}

/**
 * Registry metadata: model versions with contract, metrics, tags and lineage, and aliases with their
 * history. Implementations: {@link SqliteMetadataStore} (embedded default) and
 * {@link PostgresMetadataStore}; both pass the same contract suite.
 */
export interface ModelMetadataStore {
  /** Numbers and stores a new version atomically; concurrent registrations get distinct numbers. */
  createVersion(version: NewModelVersion): Promise<ModelVersion>;
  getVersion(name: string, version: number): Promise<ModelVersion | undefined>;
  /** Versions of one model, newest first. */
  listVersions(name: string): Promise<ModelVersion[]>;
  /** Model names with their latest version number. */
  listModels(): Promise<{ name: string; latestVersion: number; versions: number }[]>;
  search(query: ModelSearch): Promise<ModelVersion[]>;
  addTags(name: string, version: number, tags: readonly string[]): Promise<void>;
  /** Moves an alias atomically and appends the move to its history. */
  moveAlias(request: AliasMoveRequest): Promise<AliasMove>;
  /** The version an alias points at, or undefined. */
  getAlias(model: string, alias: string): Promise<number | undefined>;
  /** Every move of an alias, oldest first. */
  aliasHistory(model: string, alias: string): Promise<AliasMove[]>;
  close(): Promise<void>;
}
