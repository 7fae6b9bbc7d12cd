import type { PackageFile } from '../contract/digests.js';
import type { PolicyContract } from '../contract/policyContractSchema.js';
import type { AliasMove, MetricComparison, ModelSearch, ModelVersion } from './ModelMetadataStore.js';

/** A `model_versions` row as both SQL drivers return it. */
export interface VersionRow {
  model: string;
  version: number | string;
  digests_sha256: string;
  contract_sha256: string;
  contract_json: string;
  files_json: string;
  run_id: string | null;
  dataset_version: string | null;
  code_version: string | null;
  parent_run_id: string | null;
  signature_key_id: string | null;
  source: string | null;
  created_at: string;
}

/** An `alias_history` row. */
export interface AliasHistoryRow {
  model: string;
  alias: string;
  version: number | string;
  previous_version: number | string | null;
  revision: number | string;
  moved_at: string;
  actor: string | null;
  reason: string | null;
}

/** Builds a {@link ModelVersion} from its row and its tags, metrics and aliases. */
export function toModelVersion(
  row: VersionRow,
  extras: { tags: string[]; metrics: Record<string, number>; aliases: string[] },
): ModelVersion {
  const lineage = {
    ...(row.run_id === null ? {} : { runId: row.run_id }),
    ...(row.dataset_version === null ? {} : { datasetVersion: row.dataset_version }),
    ...(row.code_version === null ? {} : { codeVersion: row.code_version }),
    ...(row.parent_run_id === null ? {} : { parentRunId: row.parent_run_id }),
  };
  return {
    name: row.model,
    version: Number(row.version),
    digestsSha256: row.digests_sha256,
    contractSha256: row.contract_sha256,
    contract: JSON.parse(row.contract_json) as PolicyContract,
    files: JSON.parse(row.files_json) as PackageFile[],
    metrics: extras.metrics,
    tags: [...extras.tags].sort(),
    lineage,
    ...(row.signature_key_id === null ? {} : { signatureKeyId: row.signature_key_id }),
    ...(row.source === null ? {} : { source: row.source }),
    createdAt: new Date(row.created_at),
    aliases: [...extras.aliases].sort(),
  };
}

/** Builds an {@link AliasMove} from its history row. */
export function toAliasMove(row: AliasHistoryRow): AliasMove {
  return {
    model: row.model,
    alias: row.alias,
    version: Number(row.version),
    previousVersion: row.previous_version === null ? null : Number(row.previous_version),
    revision: Number(row.revision),
    movedAt: new Date(row.moved_at),
    ...(row.actor === null ? {} : { actor: row.actor }),
    ...(row.reason === null ? {} : { reason: row.reason }),
  };
}

const COMPARISONS: Readonly<Record<MetricComparison, string>> = {
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
  '=': '=',
};

/**
 * The `WHERE` clause and parameters of a search, with `placeholder(i)` giving the dialect's
 * parameter syntax (`?` or `$1`). Values always travel as parameters, never in the SQL text.
 */
export function searchClause(
  query: ModelSearch,
  placeholder: (index: number) => string,
): { where: string; params: (string | number)[] } {
  const params: (string | number)[] = [];
  const p = (value: string | number): string => {
    params.push(value);
    return placeholder(params.length);
  };
  const conditions: string[] = [];
  if (query.name !== undefined) {
    conditions.push(
      query.name.includes('*')
        ? `v.model LIKE ${p(query.name.replace(/[%_\\]/g, '\\$&').replace(/\*/g, '%'))} ESCAPE '\\'`
        : `v.model = ${p(query.name)}`,
    );
  }
  if (query.tag !== undefined) {
    conditions.push(
      `EXISTS (SELECT 1 FROM version_tags t WHERE t.model = v.model AND t.version = v.version AND t.tag = ${p(query.tag)})`,
    );
  }
  if (query.alias !== undefined) {
    conditions.push(
      `EXISTS (SELECT 1 FROM aliases a WHERE a.model = v.model AND a.version = v.version AND a.alias = ${p(query.alias)})`,
    );
  }
  for (const metric of query.metrics ?? []) {
    conditions.push(
      `EXISTS (SELECT 1 FROM version_metrics m WHERE m.model = v.model AND m.version = v.version AND m.name = ${p(metric.name)} AND m.value ${COMPARISONS[metric.op]} ${p(metric.value)})`,
    );
  }
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}

/** Parses `name>=0.9` style metric filters (`>`, `>=`, `<`, `<=`, `=`). */
export function parseMetricFilter(text: string): MetricFilter | undefined {
  const match = /^\s*([A-Za-z_][\w.-]*)\s*(>=|<=|>|<|=)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i.exec(text);
  if (match === null) return undefined;
  return { name: match[1] ?? '', op: (match[2] ?? '=') as MetricComparison, value: Number(match[3]) };
}

type MetricFilter = NonNullable<ModelSearch['metrics']>[number];
