import type { KeyObject } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '@fleetloop/core';
import type { BlobStore } from '../blobs/BlobStore.js';
import { DIGESTS_FILE, sha256Hex, type PackageFile } from '../contract/digests.js';
import {
  CONTRACT_FILE,
  readPolicyPackage,
  verifyPolicyPackage,
  writePolicyPackage,
  type PolicyPackage,
  type PolicyPackageContent,
} from '../contract/policyPackage.js';
import type {
  AliasMove,
  ModelLineage,
  ModelMetadataStore,
  ModelSearch,
  ModelVersion,
} from '../metadata/ModelMetadataStore.js';
import { RegistryError } from '../RegistryError.js';
import { SIGNATURE_FILE } from '../signing/packageSignature.js';
import { formatModelRef, isValidAlias, parseModelRef, type ModelRef } from './modelRef.js';

/** Options for {@link ModelRegistry}. */
export interface ModelRegistryOptions {
  readonly metadata: ModelMetadataStore;
  readonly blobs: BlobStore;
  /** Clock for creation and alias-move times (injectable for tests). */
  readonly now?: () => Date;
}

/** Options for {@link ModelRegistry.register}. */
export interface RegisterOptions {
  /** Model name; default: the contract's `name`. */
  readonly name?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  /** Metrics, merged over the contract's `metrics`. */
  readonly metrics?: Readonly<Record<string, number>> | undefined;
  /** Lineage, merged over the contract's `training` section. */
  readonly lineage?: ModelLineage | undefined;
  /** Free text about the origin (e.g. the OCI reference it was pulled from). */
  readonly source?: string | undefined;
  /** When given, the package must be signed by this key. */
  readonly publicKey?: KeyObject | undefined;
}

/**
 * The model registry: policy packages become numbered versions of a model, their files stored as
 * content-addressed blobs and their contract, metrics, tags and lineage in the metadata store;
 * aliases point at versions and keep their history.
 */
export class ModelRegistry {
  readonly #metadata: ModelMetadataStore;
  readonly #blobs: BlobStore;
  readonly #now: () => Date;

  constructor(options: ModelRegistryOptions) {
    this.#metadata = options.metadata;
    this.#blobs = options.blobs;
    this.#now = options.now ?? (() => new Date());
  }

  /** The metadata store, for queries this class does not wrap. */
  get metadata(): ModelMetadataStore {
    return this.#metadata;
  }

  /**
   * Registers the policy package in `dir` as the next version of its model: verifies its digests,
   * signature (with `publicKey`) and graph against the contract, stores every file as a blob, then
   * records the version.
   */
  async register(dir: string, options: RegisterOptions = {}): Promise<ModelVersion> {
    const pkg = await verifyPolicyPackage(dir, { publicKey: options.publicKey });
    const name = options.name ?? pkg.contract.name;
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) {
      throw new ConfigError(`model name "${name}" must be lower-case letters, digits, ".", "-" or "_"`, {});
    }
    const files = await this.#storeFiles(dir, pkg);
    const training = pkg.contract.training ?? {};
    const lineage: ModelLineage = {
      runId: options.lineage?.runId ?? training.runId,
      datasetVersion: options.lineage?.datasetVersion ?? training.datasetVersion,
      codeVersion: options.lineage?.codeVersion ?? training.codeVersion,
      parentRunId: options.lineage?.parentRunId ?? training.parentRunId,
    };
    const contractFile = pkg.files.find((f) => f.path === CONTRACT_FILE);
    return this.#metadata.createVersion({
      name,
      digestsSha256: pkg.digestsSha256,
      contractSha256: `sha256:${contractFile?.sha256 ?? ''}`,
      contract: pkg.contract,
      files,
      metrics: { ...pkg.contract.metrics, ...options.metrics },
      tags: [...new Set(options.tags ?? [])],
      lineage,
      signatureKeyId: pkg.signature?.keyId,
      source: options.source,
      createdAt: this.#now(),
    });
  }

  /**
   * Builds a policy package from its parts (graph, contract, card, optional signing key) and
   * registers it: what a training run or `fleetloop model register --onnx --contract` does. The
   * contract's `name` becomes `options.name` when given.
   */
  async registerContent(content: PolicyPackageContent, options: RegisterOptions = {}): Promise<ModelVersion> {
    const dir = await mkdtemp(path.join(tmpdir(), 'fleetloop-package-'));
    try {
      const contract =
        options.name === undefined ? content.contract : { ...content.contract, name: options.name };
      await writePolicyPackage(dir, { ...content, contract });
      return await this.register(dir, options);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Finds the version a reference names (`nav:3`, `nav@champion`, `nav`).
   *
   * @throws {RegistryError} `MODEL_NOT_FOUND`, `VERSION_NOT_FOUND` or `ALIAS_NOT_FOUND`.
   */
  async resolve(ref: string | ModelRef): Promise<ModelVersion> {
    const parsed = typeof ref === 'string' ? parseModelRef(ref) : ref;
    const text = formatModelRef(parsed);
    switch (parsed.kind) {
      case 'version': {
        const found = await this.#metadata.getVersion(parsed.name, parsed.version);
        if (found === undefined) {
          await this.#requireModel(parsed.name);
          throw new RegistryError(
            'VERSION_NOT_FOUND',
            `model ${parsed.name} has no version ${parsed.version}`,
          );
        }
        return found;
      }
      case 'alias': {
        const version = await this.#metadata.getAlias(parsed.name, parsed.alias);
        if (version === undefined) {
          await this.#requireModel(parsed.name);
          throw new RegistryError(
            'ALIAS_NOT_FOUND',
            `${text} is not set; point it at a version with: fleetloop model alias ${parsed.name} ${parsed.alias} VERSION`,
          );
        }
        return (await this.#metadata.getVersion(parsed.name, version)) as ModelVersion;
      }
      case 'latest': {
        const [latest] = await this.#metadata.search({ name: parsed.name, limit: 1 });
        if (latest === undefined) await this.#requireModel(parsed.name);
        return latest as ModelVersion;
      }
    }
  }

  /** Moves `alias` of a model to a version (atomic; the move is kept in the alias history). */
  async moveAlias(
    name: string,
    alias: string,
    version: number,
    options: { expectedVersion?: number | null; actor?: string; reason?: string } = {},
  ): Promise<AliasMove> {
    if (!isValidAlias(alias)) {
      throw new ConfigError(
        `alias "${alias}" must start with a letter and hold lower-case letters, digits, "-" or "_"`,
        {},
      );
    }
    await this.#requireModel(name);
    return this.#metadata.moveAlias({ model: name, alias, version, at: this.#now(), ...options });
  }

  search(query: ModelSearch): Promise<ModelVersion[]> {
    return this.#metadata.search(query);
  }

  /** Reads one file of a version from the blob store (digest-verified). */
  async readFile(version: ModelVersion, file: string): Promise<Uint8Array> {
    const entry = version.files.find((f) => f.path === file);
    if (entry === undefined) {
      throw new RegistryError(
        'PACKAGE_FILE_MISSING',
        `${version.name}:${version.version} has no file ${file}`,
      );
    }
    return this.#blobs.get(`sha256:${entry.sha256}`);
  }

  /**
   * Writes a version's package into `outDir` (created) and verifies it there.
   */
  async exportPackage(version: ModelVersion, outDir: string): Promise<PolicyPackage> {
    await mkdir(outDir, { recursive: true });
    for (const file of version.files) {
      const target = path.join(outDir, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, await this.readFile(version, file.path));
    }
    return readPolicyPackage(outDir);
  }

  async close(): Promise<void> {
    await this.#metadata.close();
  }

  async #storeFiles(dir: string, pkg: PolicyPackage): Promise<PackageFile[]> {
    const extra = [DIGESTS_FILE, ...(pkg.signature === undefined ? [] : [SIGNATURE_FILE])];
    const files: PackageFile[] = [];
    for (const file of [...pkg.files.map((f) => f.path), ...extra]) {
      const bytes = await readFile(path.join(dir, file));
      const expected =
        file === DIGESTS_FILE
          ? pkg.digestsSha256.slice('sha256:'.length)
          : pkg.files.find((f) => f.path === file)?.sha256;
      // The package was verified above; a file that changed since then is refused here.
      if (expected !== undefined && sha256Hex(bytes) !== expected) {
        throw new RegistryError(
          'PACKAGE_DIGEST_MISMATCH',
          `${path.join(dir, file)} changed while it was being registered`,
        );
      }
      const stored = await this.#blobs.put(bytes);
      files.push({ path: file, sha256: stored.digest.slice('sha256:'.length), size: stored.size });
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  async #requireModel(name: string): Promise<void> {
    const versions = await this.#metadata.search({ name, limit: 1 });
    if (versions.length === 0) {
      throw new RegistryError(
        'MODEL_NOT_FOUND',
        `no model named ${name} is registered; see fleetloop model list`,
      );
    }
  }
}
