import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { ConfigError, fleetConfigSchema, loadConfig } from '@fleetloop/core';
import {
  formatOciReference,
  generateSigningKeyPair,
  OciRegistryClient,
  openLocalRegistry,
  parseMetricFilter,
  parseModelRef,
  parseOciReference,
  pullPolicyArtifact,
  pushPolicyArtifact,
  readPolicyContract,
  readPrivateKey,
  readPublicKey,
  resolveRegistryDir,
  signingKeyId,
  verifyPolicyPackage,
  type MetricFilter,
  type ModelRegistry,
  type ModelVersion,
  type OciCredentials,
} from '@fleetloop/registry';
import { Option, type Command } from 'commander';
import { configOption } from '../globalConfig.js';

interface StoreOptions {
  config?: string;
  store?: string;
  databaseUrl?: string;
}

interface OciOptions {
  insecure?: boolean;
  username?: string;
  password?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * `fleetloop model register|list|show|alias|tag|export|push|pull|verify|keygen`: the model registry from the
 * command line. The local store is `--store`, else `FLEETLOOP_REGISTRY_DIR`, else
 * `<dataDir>/registry` (dataDir from `--config`, `FLEETLOOP_DATA_DIR`, or `.fleetloop`).
 */
export function registerModelCommand(program: Command): void {
  const model = program
    .command('model')
    .description('register, version, alias, sign and ship policy packages (local store and OCI registries)');

  storeOptions(
    model
      .command('register')
      .description(
        'register a policy package (or an ONNX file with its policy.yaml) as the next version of a model',
      )
      .option('--name <name>', "model name (default: the contract's name)")
      .option('--onnx <file>', 'ONNX graph to package (with --contract)')
      .option('--contract <file>', 'policy.yaml describing the graph (with --onnx)')
      .option('--card <file>', 'model card (Markdown) to include (with --onnx)')
      .option('--package <dir>', 'an existing policy package directory')
      .option('--tag <tag>', 'tag the version (repeatable)', collect)
      .option('--metric <name=value>', 'record a metric (repeatable)', collect)
      .option('--run-id <id>', 'training run id (lineage)')
      .option('--dataset-version <version>', 'dataset name@version (lineage)')
      .option('--code-version <rev>', 'training code revision (lineage)')
      .option('--parent-run <id>', 'parent training run (lineage)')
      .option('--alias <alias>', 'point this alias at the new version')
      .addOption(signKeyOption())
      .addOption(publicKeyOption('require packages to be signed by this key'))
      .option('--json', 'print the version as JSON'),
  ).action(async (options: RegisterCliOptions) => {
    await withRegistry(options, async (registry) => {
      const version = await register(registry, options);
      if (options.alias !== undefined) {
        await registry.moveAlias(version.name, options.alias, version.version, { actor: currentUser() });
      }
      const shown =
        options.alias === undefined ? version : await registry.resolve(`${version.name}:${version.version}`);
      if (options.json === true) printJson(shown);
      else
        process.stdout.write(
          `registered ${shown.name}:${shown.version} digests ${shown.digestsSha256}` +
            `${shown.signatureKeyId === undefined ? '' : ` signed by ${shown.signatureKeyId}`}` +
            `${options.alias === undefined ? '' : ` alias ${options.alias}`}\n`,
        );
    });
  });

  storeOptions(
    model
      .command('list')
      .description('list model versions, optionally filtered by name, tag, alias and metrics')
      .option('--name <pattern>', 'model name; * matches any characters')
      .option('--tag <tag>', 'versions with this tag')
      .option('--alias <alias>', 'versions an alias of this name points at')
      .option('--metric <condition>', 'metric condition such as "successRate>=0.9" (repeatable)', collect)
      .option('--limit <n>', 'at most this many versions', (v) => parseCount(v, '--limit'))
      .option('--json', 'print JSON'),
  ).action(async (options: StoreOptions & ListCliOptions) => {
    await withRegistry(options, async (registry) => {
      const versions = await registry.search({
        name: options.name,
        tag: options.tag,
        alias: options.alias,
        metrics: (options.metric ?? []).map(parseMetricOption),
        limit: options.limit,
      });
      if (options.json === true) {
        printJson(versions.map(summary));
        return;
      }
      const rows = versions.map((v) => [
        v.name,
        String(v.version),
        v.aliases.join(',') || '-',
        v.tags.join(',') || '-',
        Object.entries(v.metrics)
          .map(([k, x]) => `${k}=${x}`)
          .join(' ') || '-',
        v.createdAt.toISOString(),
      ]);
      process.stdout.write(
        formatColumns([['NAME', 'VERSION', 'ALIASES', 'TAGS', 'METRICS', 'CREATED'], ...rows]),
      );
    });
  });

  storeOptions(
    model
      .command('show')
      .description('show one version: files, contract summary, metrics, lineage, aliases')
      .argument('<ref>', 'NAME:VERSION, NAME@ALIAS or NAME (latest)')
      .option('--json', 'print JSON including the full contract'),
  ).action(async (ref: string, options: StoreOptions & { json?: boolean }) => {
    await withRegistry(options, async (registry) => {
      const version = await registry.resolve(ref);
      if (options.json === true) {
        printJson(version);
        return;
      }
      const c = version.contract;
      const lines = [
        `${version.name}:${version.version}`,
        `  created      ${version.createdAt.toISOString()}`,
        `  digests      ${version.digestsSha256}`,
        `  contract     ${version.contractSha256}`,
        `  signed by    ${version.signatureKeyId ?? '(unsigned)'}`,
        `  aliases      ${version.aliases.join(', ') || '-'}`,
        `  tags         ${version.tags.join(', ') || '-'}`,
        `  robot type   ${c.robotType}, control period ${c.controlPeriodMs} ms`,
        `  observation  ${c.observation.inputName} [${c.observation.size}]: ${c.observation.slices.map((s) => `${s.name}(${s.size})`).join(' ')}`,
        `  action       ${c.action.outputName} [${c.action.size}]: ${c.action.components.map((a) => a.name).join(' ')}`,
        `  metrics      ${
          Object.entries(version.metrics)
            .map(([k, x]) => `${k}=${x}`)
            .join(' ') || '-'
        }`,
        `  lineage      ${
          Object.entries(version.lineage)
            .filter(([, x]) => x !== undefined)
            .map(([k, x]) => `${k}=${String(x)}`)
            .join(' ') || '-'
        }`,
        ...(version.source === undefined ? [] : [`  source       ${version.source}`]),
        '  files',
        ...version.files.map((f) => `    ${f.sha256}  ${String(f.size).padStart(10)}  ${f.path}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  });

  storeOptions(
    model
      .command('alias')
      .description(
        'point an alias (champion, challenger, candidate or custom) at a version, or show its history',
      )
      .argument('<name>', 'model name')
      .argument('<alias>', 'alias name')
      .argument('[version]', 'version number to point the alias at; without it the history is printed')
      .option('--expect <version>', 'move only if the alias points at this version now ("none": unset)')
      .option('--reason <text>', 'why the alias moves (kept in the history)')
      .option('--actor <who>', 'who moves it (default: $USER)')
      .option('--json', 'print JSON'),
  ).action(async (name: string, alias: string, version: string | undefined, options: AliasCliOptions) => {
    await withRegistry(options, async (registry) => {
      if (version === undefined) {
        const history = await registry.metadata.aliasHistory(name, alias);
        if (options.json === true) printJson(history);
        else if (history.length === 0) process.stdout.write(`${name}@${alias} has never been set\n`);
        else
          process.stdout.write(
            formatColumns([
              ['REVISION', 'VERSION', 'PREVIOUS', 'MOVED', 'ACTOR', 'REASON'],
              ...history.map((h) => [
                String(h.revision),
                String(h.version),
                h.previousVersion === null ? '-' : String(h.previousVersion),
                h.movedAt.toISOString(),
                h.actor ?? '-',
                h.reason ?? '-',
              ]),
            ]),
          );
        return;
      }
      const target = parseCount(version, 'version');
      const expected =
        options.expect === undefined
          ? undefined
          : options.expect === 'none'
            ? null
            : parseCount(options.expect, '--expect');
      const move = await registry.moveAlias(name, alias, target, {
        ...(expected === undefined ? {} : { expectedVersion: expected }),
        ...(options.reason === undefined ? {} : { reason: options.reason }),
        actor: options.actor ?? currentUser(),
      });
      if (options.json === true) printJson(move);
      else
        process.stdout.write(
          `${name}@${alias} -> ${move.version} (was ${move.previousVersion ?? 'unset'}, revision ${move.revision})\n`,
        );
    });
  });

  ociOptions(
    storeOptions(
      model
        .command('push')
        .description('push a registered version to an OCI registry as a policy artifact')
        .argument('<ref>', 'NAME:VERSION, NAME@ALIAS or NAME (latest)')
        .argument('<target>', 'oci://HOST[:PORT]/REPOSITORY[:TAG]'),
    ),
  ).action(async (ref: string, target: string, options: StoreOptions & OciOptions) => {
    const oci = parseOciReference(target);
    if (oci.byDigest) throw new ConfigError(`push to a tag, not a digest: ${target}`, {});
    parseModelRef(ref);
    await withRegistry(options, async (registry) => {
      const version = await registry.resolve(ref);
      const files = await Promise.all(
        version.files.map(async (f) => ({ path: f.path, bytes: await registry.readFile(version, f.path) })),
      );
      const result = await pushPolicyArtifact({
        client: ociClient(oci.registry, options),
        repository: oci.repository,
        tag: oci.reference,
        files,
        name: version.name,
        version: String(version.version),
        robotType: version.contract.robotType,
        onnxFile: version.contract.onnx.file,
      });
      const uploaded = result.layers.filter((l) => l.uploaded).length;
      process.stdout.write(
        `pushed ${version.name}:${version.version} to ${formatOciReference(oci)} ` +
          `(${formatOciReference({ ...oci, reference: result.digest, byDigest: true })}, ` +
          `${uploaded} of ${result.layers.length} layers uploaded)\n`,
      );
    });
  });

  ociOptions(
    storeOptions(
      model
        .command('pull')
        .description('pull a policy artifact from an OCI registry into a directory, verifying every digest')
        .argument('<source>', 'oci://HOST[:PORT]/REPOSITORY[:TAG|@sha256:DIGEST]')
        .requiredOption('--out <dir>', 'directory to write the package into (absent or empty)')
        .addOption(publicKeyOption('require the package to be signed by this key'))
        .option('--register', 'also register the pulled package in the local store')
        .option('--name <name>', 'model name when registering (default: the contract name)'),
    ),
  ).action(async (source: string, options: PullCliOptions) => {
    const oci = parseOciReference(source);
    const publicKey = await optionalPublicKey(options.publicKey);
    const pulled = await pullPolicyArtifact({
      client: ociClient(oci.registry, options),
      repository: oci.repository,
      reference: oci.reference,
      outDir: path.resolve(options.out),
    });
    if (publicKey !== undefined) await verifyPolicyPackage(pulled.package.dir, { publicKey });
    const pinned = formatOciReference({ ...oci, reference: pulled.manifestDigest, byDigest: true });
    process.stdout.write(
      `pulled ${pinned} into ${pulled.package.dir} (${pulled.package.files.length} files verified)\n`,
    );
    if (options.register === true) {
      await withRegistry(options, async (registry) => {
        const version = await registry.register(pulled.package.dir, {
          name: options.name,
          source: pinned,
          publicKey,
        });
        process.stdout.write(`registered ${version.name}:${version.version}\n`);
      });
    }
  });

  storeOptions(
    model
      .command('tag')
      .description('add tags to a registered version')
      .argument('<ref>', 'NAME:VERSION, NAME@ALIAS or NAME (latest)')
      .argument('<tags...>', 'tags to add'),
  ).action(async (ref: string, tags: string[], options: StoreOptions) => {
    await withRegistry(options, async (registry) => {
      const version = await registry.resolve(ref);
      await registry.metadata.addTags(version.name, version.version, tags);
      const updated = await registry.resolve(`${version.name}:${version.version}`);
      process.stdout.write(`${updated.name}:${updated.version} tags ${updated.tags.join(', ')}\n`);
    });
  });

  storeOptions(
    model
      .command('export')
      .description('write a registered version as a policy package directory (verified after writing)')
      .argument('<ref>', 'NAME:VERSION, NAME@ALIAS or NAME (latest)')
      .requiredOption('--out <dir>', 'directory to write the package into'),
  ).action(async (ref: string, options: StoreOptions & { out: string }) => {
    await withRegistry(options, async (registry) => {
      const version = await registry.resolve(ref);
      const pkg = await registry.exportPackage(version, path.resolve(options.out));
      process.stdout.write(
        `exported ${version.name}:${version.version} to ${pkg.dir} (${pkg.files.length} files verified)\n`,
      );
    });
  });

  model
    .command('verify')
    .description(
      "check a policy package's digests, signature and graph; exit 1 naming the file that does not match",
    )
    .argument('<dir>', 'policy package directory')
    .addOption(publicKeyOption('check the signature against this key'))
    .action(async (dir: string, options: { publicKey?: string }) => {
      const publicKey = await optionalPublicKey(options.publicKey);
      const pkg = await verifyPolicyPackage(dir, { publicKey });
      const signature =
        pkg.signature === undefined
          ? 'unsigned'
          : publicKey === undefined
            ? `signed by ${pkg.signature.keyId} (not checked: no --public-key or FLEETLOOP_PUBLIC_KEY)`
            : `signature by ${signingKeyId(publicKey)} valid`;
      process.stdout.write(
        `ok ${pkg.contract.name}: ${pkg.files.length} files match ${pkg.digestsSha256}, graph matches policy.yaml, ${signature}\n`,
      );
    });

  model
    .command('keygen')
    .description('generate an ed25519 signing key pair (signing.key, signing.pub)')
    .requiredOption('--out <dir>', 'directory for the key files')
    .action(async (options: { out: string }) => {
      const pair = await generateSigningKeyPair(options.out);
      process.stdout.write(
        `key ${pair.keyId}\n  private ${pair.privateKeyFile} (sign with --sign-key or FLEETLOOP_SIGNING_KEY)\n` +
          `  public  ${pair.publicKeyFile} (verify with --public-key or FLEETLOOP_PUBLIC_KEY)\n`,
      );
    });
}

interface RegisterCliOptions extends StoreOptions {
  name?: string;
  onnx?: string;
  contract?: string;
  card?: string;
  package?: string;
  tag?: string[];
  metric?: string[];
  runId?: string;
  datasetVersion?: string;
  codeVersion?: string;
  parentRun?: string;
  alias?: string;
  signKey?: string;
  publicKey?: string;
  json?: boolean;
}

interface ListCliOptions {
  name?: string;
  tag?: string;
  alias?: string;
  metric?: string[];
  limit?: number;
  json?: boolean;
}

interface AliasCliOptions extends StoreOptions {
  expect?: string;
  reason?: string;
  actor?: string;
  json?: boolean;
}

interface PullCliOptions extends StoreOptions, OciOptions {
  out: string;
  publicKey?: string;
  register?: boolean;
  name?: string;
}

async function register(registry: ModelRegistry, options: RegisterCliOptions): Promise<ModelVersion> {
  const fromFiles = options.onnx !== undefined || options.contract !== undefined;
  if (fromFiles === (options.package !== undefined)) {
    throw new ConfigError('give either --onnx FILE --contract policy.yaml, or --package DIR', {});
  }
  const metrics = Object.fromEntries((options.metric ?? []).map(parseMetricAssignment));
  const lineage = {
    runId: options.runId,
    datasetVersion: options.datasetVersion,
    codeVersion: options.codeVersion,
    parentRunId: options.parentRun,
  };
  const publicKey = await optionalPublicKey(options.publicKey);
  const common = { name: options.name, tags: options.tag, metrics, lineage, publicKey };
  if (options.package !== undefined) return registry.register(path.resolve(options.package), common);
  if (options.onnx === undefined || options.contract === undefined) {
    throw new ConfigError(
      '--onnx and --contract go together: the graph and the policy.yaml that describes it',
      {},
    );
  }
  const contract = await readPolicyContract(options.contract);
  const onnx = await readInputFile(options.onnx, '--onnx');
  const card =
    options.card === undefined ? undefined : (await readInputFile(options.card, '--card')).toString('utf8');
  const signKeyFile = options.signKey;
  const signingKey = signKeyFile === undefined ? undefined : await readPrivateKey(signKeyFile);
  return registry.registerContent(
    { onnx, contract, card, signingKey },
    { ...common, source: path.resolve(options.onnx) },
  );
}

async function withRegistry(
  options: StoreOptions,
  fn: (registry: ModelRegistry) => Promise<void>,
): Promise<void> {
  const config = await loadConfig({ schema: fleetConfigSchema.loose(), file: options.config });
  const registry = await openLocalRegistry({
    dir: resolveRegistryDir({ store: options.store, dataDir: config.dataDir }),
    databaseUrl: options.databaseUrl,
  });
  try {
    await fn(registry);
  } finally {
    await registry.close();
  }
}

function storeOptions(command: Command): Command {
  return command
    .addOption(configOption('configuration file whose dataDir holds the registry store (YAML)'))
    .addOption(
      new Option('--store <dir>', 'local registry directory (default: <dataDir>/registry)').env(
        'FLEETLOOP_REGISTRY_DIR',
      ),
    )
    .addOption(
      new Option('--database-url <url>', 'PostgreSQL for the metadata instead of SQLite in the store').env(
        'FLEETLOOP_REGISTRY_DATABASE_URL',
      ),
    );
}

function ociOptions(command: Command): Command {
  return command
    .option('--insecure', 'talk plain HTTP to the registry (loopback registries always do)')
    .addOption(new Option('--username <user>', 'registry user').env('FLEETLOOP_OCI_USERNAME'))
    .addOption(
      new Option('--password <password>', 'registry password or token').env('FLEETLOOP_OCI_PASSWORD'),
    );
}

function signKeyOption(): Option {
  return new Option('--sign-key <file>', 'ed25519 private key (PEM) to sign the package with').env(
    'FLEETLOOP_SIGNING_KEY',
  );
}

function publicKeyOption(description: string): Option {
  return new Option('--public-key <file>', `ed25519 public key (PEM): ${description}`).env(
    'FLEETLOOP_PUBLIC_KEY',
  );
}

function ociClient(registry: string, options: OciOptions): OciRegistryClient {
  let credentials: OciCredentials | undefined;
  if (options.username !== undefined || options.password !== undefined) {
    if (options.username === undefined || options.password === undefined) {
      throw new ConfigError('--username and --password go together', {});
    }
    credentials = { username: options.username, password: options.password };
  }
  return new OciRegistryClient({ registry, insecure: options.insecure === true, credentials });
}

async function optionalPublicKey(
  file: string | undefined,
): Promise<Awaited<ReturnType<typeof readPublicKey>> | undefined> {
  return file === undefined || file === '' ? undefined : readPublicKey(file);
}

async function readInputFile(file: string, option: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : String(error);
    throw new ConfigError(`${option} ${file}: ${reason}`, { file, cause: error });
  }
}

function parseMetricAssignment(text: string): [string, number] {
  const match = /^([A-Za-z_][\w.-]*)=(.+)$/.exec(text);
  const value = Number(match?.[2]);
  if (match?.[1] === undefined || !Number.isFinite(value)) {
    throw new ConfigError(`--metric "${text}" is not NAME=NUMBER (e.g. successRate=0.92)`, {});
  }
  return [match[1], value];
}

function parseMetricOption(text: string): MetricFilter {
  const filter = parseMetricFilter(text);
  if (filter === undefined) {
    throw new ConfigError(
      `--metric "${text}" is not a condition like "successRate>=0.9" (>, >=, <, <=, =)`,
      {},
    );
  }
  return filter;
}

function parseCount(text: string, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new ConfigError(`${what} "${text}" must be a positive whole number`, {});
  }
  return Number(text);
}

function summary(v: ModelVersion): Record<string, unknown> {
  return {
    name: v.name,
    version: v.version,
    aliases: v.aliases,
    tags: v.tags,
    metrics: v.metrics,
    lineage: v.lineage,
    digestsSha256: v.digestsSha256,
    createdAt: v.createdAt.toISOString(),
  };
}

function currentUser(): string {
  return process.env.USER ?? userInfo().username;
}

function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return (
    rows
      .map((r) =>
        r
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
