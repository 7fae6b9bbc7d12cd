/**
 * @module @fleetloop/registry
 * Policy packages and the model registry: the `policy.yaml` contract, package digests and
 * ed25519 signatures, ONNX graph checks, versions, aliases and lineage, content-addressed blobs,
 * and OCI push/pull.
 */
export { RegistryError, type RegistryErrorCode } from './RegistryError.js';
export * from './contract/policyContractSchema.js';
export {
  parsePolicyContract,
  readPolicyContract,
  validatePolicyContract,
  formatPolicyContract,
} from './contract/policyContractYaml.js';
export {
  DIGESTS_FILE,
  formatDigests,
  parseDigests,
  sha256Hex,
  type PackageFile,
} from './contract/digests.js';
export {
  CONTRACT_FILE,
  CARD_FILE,
  readPolicyPackage,
  verifyPolicyPackage,
  writePolicyPackage,
  signPolicyPackage,
  type PolicyPackage,
  type PolicyPackageContent,
  type VerifyPolicyPackageOptions,
} from './contract/policyPackage.js';
export {
  readOnnxGraphSignature,
  onnxDataType,
  type OnnxGraphSignature,
  type OnnxGraphTensor,
} from './onnx/readOnnxGraphSignature.js';
export {
  checkOnnxAgainstContract,
  compareOnnxSignature,
  type OnnxContractMismatch,
} from './onnx/checkOnnxAgainstContract.js';
export {
  SIGNATURE_FILE,
  packageSignatureSchema,
  signDigests,
  signingKeyId,
  verifyDigestsSignature,
  type PackageSignature,
} from './signing/packageSignature.js';
export {
  PRIVATE_KEY_FILE,
  PUBLIC_KEY_FILE,
  generateSigningKeyPair,
  readPrivateKey,
  readPublicKey,
  type GeneratedKeyPair,
} from './signing/signingKeys.js';
export type {
  ModelMetadataStore,
  ModelVersion,
  NewModelVersion,
  ModelLineage,
  AliasMove,
  AliasMoveRequest,
  ModelSearch,
  MetricFilter,
  MetricComparison,
} from './metadata/ModelMetadataStore.js';
export { SqliteMetadataStore, type SqliteMetadataStoreOptions } from './metadata/SqliteMetadataStore.js';
export {
  PostgresMetadataStore,
  type PostgresMetadataStoreOptions,
} from './metadata/PostgresMetadataStore.js';
export { MIGRATIONS, type Migration } from './metadata/migrations.js';
export { parseMetricFilter } from './metadata/versionRows.js';
export type { BlobStore, BlobDescriptor } from './blobs/BlobStore.js';
export { DirectoryBlobStore } from './blobs/DirectoryBlobStore.js';
export { ModelRegistry, type ModelRegistryOptions, type RegisterOptions } from './registry/ModelRegistry.js';
export { parseModelRef, formatModelRef, isValidAlias, type ModelRef } from './registry/modelRef.js';
export {
  openLocalRegistry,
  resolveRegistryDir,
  type OpenLocalRegistryOptions,
} from './registry/openLocalRegistry.js';
export { parseOciReference, formatOciReference, type OciReference } from './oci/ociReference.js';
export { parseAuthChallenge, type OciCredentials, type AuthChallenge } from './oci/ociAuth.js';
export {
  OciRegistryClient,
  type OciRegistryClientOptions,
  type FetchedManifest,
} from './oci/OciRegistryClient.js';
export {
  POLICY_ARTIFACT_TYPE,
  OCI_MANIFEST_MEDIA_TYPE,
  OCI_EMPTY_CONFIG,
  ANNOTATIONS,
  layerMediaType,
  pushPolicyArtifact,
  pullPolicyArtifact,
  type ArtifactFile,
  type PushResult,
  type PullResult,
} from './oci/policyArtifact.js';
