/** One schema migration, written for each SQL dialect. */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sqlite: string;
  readonly postgres: string;
}

const v1 = (real: string, serial: string): string => `
CREATE TABLE models (
  name TEXT PRIMARY KEY,
  next_version INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE model_versions (
  model TEXT NOT NULL REFERENCES models(name),
  version INTEGER NOT NULL,
  digests_sha256 TEXT NOT NULL,
  contract_sha256 TEXT NOT NULL,
  contract_json TEXT NOT NULL,
  files_json TEXT NOT NULL,
  run_id TEXT,
  dataset_version TEXT,
  code_version TEXT,
  parent_run_id TEXT,
  signature_key_id TEXT,
  source TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (model, version)
);
CREATE TABLE version_tags (
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  tag TEXT NOT NULL,
  PRIMARY KEY (model, version, tag),
  FOREIGN KEY (model, version) REFERENCES model_versions(model, version)
);
CREATE INDEX version_tags_tag ON version_tags(tag);
CREATE TABLE version_metrics (
  model TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  value ${real} NOT NULL,
  PRIMARY KEY (model, version, name),
  FOREIGN KEY (model, version) REFERENCES model_versions(model, version)
);
CREATE INDEX version_metrics_name ON version_metrics(name, value);
CREATE TABLE aliases (
  model TEXT NOT NULL REFERENCES models(name),
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (model, alias),
  FOREIGN KEY (model, version) REFERENCES model_versions(model, version)
);
CREATE TABLE alias_history (
  id ${serial},
  model TEXT NOT NULL,
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  previous_version INTEGER,
  revision INTEGER NOT NULL,
  moved_at TEXT NOT NULL,
  actor TEXT,
  reason TEXT,
  UNIQUE (model, alias, revision)
);
`;

/** Schema history, applied in order; a store records each applied version in `schema_migrations`. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'models, versions, tags, metrics, aliases and alias history',
    sqlite: v1('REAL', 'INTEGER PRIMARY KEY AUTOINCREMENT'),
    postgres: v1('DOUBLE PRECISION', 'BIGSERIAL PRIMARY KEY'),
  },
];
