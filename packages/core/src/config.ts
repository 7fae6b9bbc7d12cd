import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './FleetloopError.js';

/** Prefix of environment variables that override configuration fields. */
export const ENV_PREFIX = 'FLEETLOOP_';

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions<S extends z.ZodType> {
  /** Schema of the whole configuration document. */
  readonly schema: S;
  /** YAML file to read; without it the configuration is built from defaults and the environment. */
  readonly file?: string | undefined;
  /** Environment to read overrides from (defaults to `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Reads a YAML configuration file, applies `FLEETLOOP_*` environment overrides and validates the
 * result against a schema.
 *
 * An override names a field path in SCREAMING_SNAKE_CASE with `__` between levels:
 * `FLEETLOOP_LOG__LEVEL=debug` sets `log.level`, `FLEETLOOP_ROS__DOMAIN_ID=7` sets `ros.domainId`.
 * Values are parsed as YAML scalars, so numbers and booleans keep their type.
 *
 * @throws {ConfigError} naming the file, each field path, what was expected and what was found.
 * @example
 * const config = await loadConfig({ schema: fleetConfigSchema, file: 'fleetloop.yaml' });
 */
export async function loadConfig<S extends z.ZodType>(options: LoadConfigOptions<S>): Promise<z.output<S>> {
  const file = options.file === undefined ? undefined : path.resolve(options.file);
  const document = file === undefined ? {} : await readYamlFile(file);
  const overrides = applyEnvOverrides(document, options.env ?? process.env);
  return validateConfig(options.schema, document, { file, overrides });
}

/** Validates an already-parsed configuration object; see {@link loadConfig}. */
export function validateConfig<S extends z.ZodType>(
  schema: S,
  value: unknown,
  origin: { file?: string | undefined; overrides?: ReadonlyMap<string, string> } = {},
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const where = origin.file ?? 'configuration';
  const problems = result.error.issues.map((issue) => describeIssue(issue, value, where, origin.overrides));
  const lines = problems.map(
    (p) => `  ${p.path || '(root)'}: expected ${p.expected}, found ${p.found} (${p.source})`,
  );
  throw new ConfigError(
    `Invalid configuration in ${where}:\n${lines.join('\n')}\nFix ${problems.length === 1 ? 'this field' : 'these fields'} and run again.`,
    { file: origin.file, problems },
  );
}

async function readYamlFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : String(error);
    throw new ConfigError(`Cannot read configuration file ${file}: ${reason}`, { file, cause: error });
  }
  const doc = parseDocument(text, { prettyErrors: true });
  const yamlError = doc.errors[0];
  if (yamlError !== undefined) {
    const pos = yamlError.linePos?.[0];
    const at = pos === undefined ? '' : `:${pos.line}:${pos.col}`;
    throw new ConfigError(`Configuration file ${file}${at} is not valid YAML: ${yamlError.message}`, {
      file,
      cause: yamlError,
    });
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) {
    throw new ConfigError(
      `Configuration file ${file} must hold a YAML mapping (key: value) at the top level`,
      {
        file,
        problems: [{ path: '', expected: 'a mapping', found: describeValue(doc.toJS()), source: file }],
      },
    );
  }
  return doc.toJS() as Record<string, unknown>;
}

/** Applies `FLEETLOOP_A__B_C=value` overrides in place; returns field path → variable name. */
function applyEnvOverrides(target: Record<string, unknown>, env: NodeJS.ProcessEnv): Map<string, string> {
  const applied = new Map<string, string>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const keys = name.slice(ENV_PREFIX.length).split('__').map(snakeToCamel);
    if (keys.some((k) => k.length === 0)) continue;
    let node: Record<string, unknown> = target;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
      if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys.at(-1) as string] = parseScalar(raw);
    applied.set(keys.join('.'), name);
  }
  return applied;
}

function snakeToCamel(segment: string): string {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function parseScalar(raw: string): unknown {
  const doc = parseDocument(raw);
  return doc.errors.length > 0 ? raw : (doc.toJS() as unknown);
}

function describeIssue(
  issue: z.core.$ZodIssue,
  root: unknown,
  where: string,
  overrides: ReadonlyMap<string, string> | undefined,
): ConfigProblem {
  const pathText = formatPath(issue.path);
  const dotted = issue.path.filter((p) => typeof p !== 'number').join('.');
  const variable = overrides?.get(dotted);
  const source = variable === undefined ? where : `environment variable ${variable}`;
  const value = valueAt(root, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return {
        path: pathText,
        expected: issue.expected,
        found: value.present ? describeValue(value.value) : 'nothing (the field is missing)',
        source,
      };
    case 'unrecognized_keys':
      return {
        path: pathText,
        expected: 'only known fields',
        found: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
        source,
      };
    case 'invalid_value':
      return {
        path: pathText,
        expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        found: describeValue(value.value),
        source,
      };
    case 'too_small':
    case 'too_big': {
      const op =
        issue.code === 'too_small'
          ? issue.inclusive === false
            ? '>'
            : '>='
          : issue.inclusive === false
            ? '<'
            : '<=';
      const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      return {
        path: pathText,
        expected: `${op} ${String(limit)}${unit}`,
        found: describeValue(value.value),
        source,
      };
    }
    default:
      return { path: pathText, expected: issue.message, found: describeValue(value.value), source };
  }
}

/** Renders `['routes', 2, 'qos']` as `routes[2].qos`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out.length === 0 ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

function valueAt(root: unknown, segments: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let node: unknown = root;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null || !(segment in node))
      return { present: false, value: undefined };
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return { present: true, value: node };
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
    case 'number':
      return `${Number.isInteger(value) ? 'integer' : 'number'} ${value}`;
    case 'boolean':
      return `boolean ${value}`;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}
