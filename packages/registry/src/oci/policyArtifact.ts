import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '@fleetloop/core';
import { z } from 'zod';
import { DIGESTS_FILE, sha256Hex } from '../contract/digests.js';
import {
  CARD_FILE,
  CONTRACT_FILE,
  readPolicyPackage,
  type PolicyPackage,
} from '../contract/policyPackage.js';
import { RegistryError } from '../RegistryError.js';
import { SIGNATURE_FILE } from '../signing/packageSignature.js';
import type { OciRegistryClient } from './OciRegistryClient.js';

/** `artifactType` of a policy package. */
export const POLICY_ARTIFACT_TYPE = 'application/vnd.fleetloop.policy.v1';
/** OCI image manifest media type. */
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
/** The empty config descriptor that artifacts without a config use. */
export const OCI_EMPTY_CONFIG = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
} as const;

/** Manifest annotation keys. */
export const ANNOTATIONS = {
  title: 'org.opencontainers.image.title',
  version: 'org.opencontainers.image.version',
  created: 'org.opencontainers.image.created',
  name: 'dev.fleetloop.policy.name',
  contractDigest: 'dev.fleetloop.policy.contract.digest',
  digestsDigest: 'dev.fleetloop.policy.digests.digest',
  robotType: 'dev.fleetloop.policy.robot-type',
} as const;

/** Layer media type of each package file. */
export function layerMediaType(file: string, onnxFile = 'policy.onnx'): string {
  if (file === onnxFile) return 'application/vnd.fleetloop.policy.model.v1+onnx';
  switch (file) {
    case CONTRACT_FILE:
      return 'application/vnd.fleetloop.policy.contract.v1+yaml';
    case CARD_FILE:
      return 'text/markdown';
    case DIGESTS_FILE:
      return 'application/vnd.fleetloop.policy.digests.v1+text';
    case SIGNATURE_FILE:
      return 'application/vnd.fleetloop.policy.signature.v1+json';
    default:
      return 'application/octet-stream';
  }
}

const descriptorSchema = z.object({
  mediaType: z.string(),
  digest: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  size: z.int().min(0),
  annotations: z.record(z.string(), z.string()).optional(),
});

const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** One file of a package to push. */
export interface ArtifactFile {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** What a push stored. */
export interface PushResult {
  /** `sha256:<hex>` of the manifest. */
  readonly digest: string;
  readonly layers: readonly { path: string; digest: string; size: number; uploaded: boolean }[];
}

/**
 * Pushes a policy package as an OCI artifact: one layer per file (titled by its path), the empty
 * config, `artifactType` {@link POLICY_ARTIFACT_TYPE}, and annotations carrying the model name,
 * version and the digests of the contract and the `digests` manifest.
 */
export async function pushPolicyArtifact(options: {
  client: OciRegistryClient;
  repository: string;
  tag: string;
  files: readonly ArtifactFile[];
  name: string;
  version: string;
  robotType?: string;
  onnxFile?: string;
  created?: Date;
}): Promise<PushResult> {
  const { client, repository } = options;
  const contract = options.files.find((f) => f.path === CONTRACT_FILE);
  const digests = options.files.find((f) => f.path === DIGESTS_FILE);
  if (contract === undefined || digests === undefined) {
    throw new RegistryError(
      'PACKAGE_FILE_MISSING',
      `a policy package needs ${CONTRACT_FILE} and ${DIGESTS_FILE} to be pushed`,
    );
  }
  await client.pushBlob(repository, new TextEncoder().encode('{}'));
  const layers: PushResult['layers'][number][] = [];
  for (const file of [...options.files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const pushed = await client.pushBlob(repository, file.bytes);
    layers.push({ path: file.path, ...pushed });
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: POLICY_ARTIFACT_TYPE,
    config: OCI_EMPTY_CONFIG,
    layers: layers.map((l) => ({
      mediaType: layerMediaType(l.path, options.onnxFile),
      digest: l.digest,
      size: l.size,
      annotations: { [ANNOTATIONS.title]: l.path },
    })),
    annotations: {
      [ANNOTATIONS.name]: options.name,
      [ANNOTATIONS.version]: options.version,
      [ANNOTATIONS.contractDigest]: `sha256:${sha256Hex(contract.bytes)}`,
      [ANNOTATIONS.digestsDigest]: `sha256:${sha256Hex(digests.bytes)}`,
      [ANNOTATIONS.created]: (options.created ?? new Date()).toISOString(),
      ...(options.robotType === undefined ? {} : { [ANNOTATIONS.robotType]: options.robotType }),
    },
  };
  const bytes = new TextEncoder().encode(JSON.stringify(manifest));
  const digest = await client.putManifest(repository, options.tag, bytes, OCI_MANIFEST_MEDIA_TYPE);
  return { digest, layers };
}

/** What a pull produced. */
export interface PullResult {
  readonly package: PolicyPackage;
  /** `sha256:<hex>` of the manifest. */
  readonly manifestDigest: string;
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Pulls a policy artifact into `outDir` (absent or empty): verifies the manifest digest, each
 * layer's sha256 and size, then the package's own `digests` and the manifest annotations.
 *
 * @throws {RegistryError} `OCI_DIGEST_MISMATCH` naming the digest that did not match,
 *   `OCI_MANIFEST_INVALID` when the manifest is not a fleetloop policy.
 */
export async function pullPolicyArtifact(options: {
  client: OciRegistryClient;
  repository: string;
  reference: string;
  outDir: string;
}): Promise<PullResult> {
  const { client, repository, outDir } = options;
  await requireEmptyDir(outDir);
  const fetched = await client.getManifest(repository, options.reference);
  const manifest = parseManifest(fetched.bytes, `${repository}@${fetched.digest}`);
  const files: { path: string; bytes: Uint8Array }[] = [];
  for (const layer of manifest.layers) {
    const title = layer.annotations?.[ANNOTATIONS.title];
    if (title === undefined || !isSafePath(title)) {
      throw new RegistryError(
        'OCI_MANIFEST_INVALID',
        `layer ${layer.digest} of ${repository}@${fetched.digest} has no usable ${ANNOTATIONS.title} annotation (${String(title)})`,
      );
    }
    files.push({ path: title, bytes: await client.getBlob(repository, layer.digest, layer.size, title) });
  }
  await mkdir(outDir, { recursive: true });
  for (const file of files) {
    const target = path.join(outDir, file.path);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.bytes);
  }
  const pkg = await readPolicyPackage(outDir);
  const annotations = manifest.annotations ?? {};
  const stated = annotations[ANNOTATIONS.digestsDigest];
  if (stated !== undefined && stated !== pkg.digestsSha256) {
    throw new RegistryError(
      'OCI_DIGEST_MISMATCH',
      `${repository}@${fetched.digest} annotates digests ${stated} but its ${DIGESTS_FILE} layer is ${pkg.digestsSha256}`,
    );
  }
  return { package: pkg, manifestDigest: fetched.digest, annotations };
}

function parseManifest(bytes: Uint8Array, where: string): z.output<typeof manifestSchema> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new RegistryError('OCI_MANIFEST_INVALID', `manifest ${where} is not JSON`, { cause: error });
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new RegistryError(
      'OCI_MANIFEST_INVALID',
      `manifest ${where} is not an OCI image manifest: ${parsed.error.message}`,
    );
  }
  if (parsed.data.artifactType !== POLICY_ARTIFACT_TYPE) {
    throw new RegistryError(
      'OCI_MANIFEST_INVALID',
      `${where} is a ${parsed.data.artifactType ?? parsed.data.config.mediaType} artifact, not a fleetloop policy (${POLICY_ARTIFACT_TYPE})`,
    );
  }
  return parsed.data;
}

function isSafePath(file: string): boolean {
  return (
    file !== '' && !path.isAbsolute(file) && !file.split(/[\\/]/).some((part) => part === '..' || part === '')
  );
}

async function requireEmptyDir(dir: string): Promise<void> {
  try {
    const entries = await readdir(dir);
    if (entries.length > 0) {
      throw new ConfigError(`output directory ${dir} is not empty; choose a new --out directory`, {});
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
