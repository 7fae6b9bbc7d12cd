import { FleetloopError } from '@fleetloop/core';

/** Stable codes of {@link RegistryError}. */
export type RegistryErrorCode =
  | 'PACKAGE_FILE_MISSING'
  | 'PACKAGE_FILE_UNLISTED'
  | 'PACKAGE_DIGEST_MISMATCH'
  | 'PACKAGE_DIGESTS_INVALID'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'SIGNING_KEY_INVALID'
  | 'ONNX_INVALID'
  | 'ONNX_CONTRACT_MISMATCH'
  | 'MODEL_NOT_FOUND'
  | 'VERSION_NOT_FOUND'
  | 'ALIAS_NOT_FOUND'
  | 'ALIAS_CONFLICT'
  | 'BLOB_NOT_FOUND'
  | 'BLOB_DIGEST_MISMATCH'
  | 'OCI_REFERENCE_INVALID'
  | 'OCI_REQUEST_FAILED'
  | 'OCI_AUTH_FAILED'
  | 'OCI_DIGEST_MISMATCH'
  | 'OCI_MANIFEST_INVALID'
  | 'METADATA_STORE_FAILED';

/** Raised by the model registry: packages, signatures, versions, aliases, blobs and OCI transfer. */
export class RegistryError extends FleetloopError {
  declare readonly code: RegistryErrorCode;

  constructor(code: RegistryErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
