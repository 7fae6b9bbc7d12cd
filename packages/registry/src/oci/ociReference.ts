import { ConfigError } from '@fleetloop/core';

/** A parsed `oci://HOST[:PORT]/REPOSITORY[:TAG|@sha256:DIGEST]` reference. */
export interface OciReference {
  /** `host[:port]`. */
  readonly registry: string;
  /** Repository path, e.g. `fleet/nav-bc`. */
  readonly repository: string;
  /** Tag or `sha256:<hex>` digest. */
  readonly reference: string;
  /** Whether `reference` is a digest. */
  readonly byDigest: boolean;
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * Parses an OCI reference; `oci://` is optional. Without a tag or digest the tag is `latest`.
 *
 * @throws {ConfigError} naming the reference and the expected form.
 */
export function parseOciReference(text: string): OciReference {
  const bad = (why: string): ConfigError =>
    new ConfigError(
      `"${text}" is not an OCI reference (${why}); use oci://HOST[:PORT]/REPOSITORY[:TAG|@sha256:DIGEST]`,
      {},
    );
  const rest = text.startsWith('oci://') ? text.slice('oci://'.length) : text;
  const slash = rest.indexOf('/');
  if (slash <= 0) throw bad('no registry host');
  const registry = rest.slice(0, slash);
  let path = rest.slice(slash + 1);
  let reference = 'latest';
  const at = path.indexOf('@');
  if (at >= 0) {
    reference = path.slice(at + 1);
    path = path.slice(0, at);
    if (!DIGEST.test(reference)) throw bad(`digest "${reference}" is not sha256:<64 hex>`);
  } else {
    const colon = path.lastIndexOf(':');
    if (colon >= 0) {
      reference = path.slice(colon + 1);
      path = path.slice(0, colon);
      if (!TAG.test(reference)) throw bad(`tag "${reference}" has characters a tag cannot hold`);
    }
  }
  if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(registry)) throw bad(`registry host "${registry}"`);
  if (!REPOSITORY.test(path)) throw bad(`repository "${path}" must be lower-case path components`);
  return { registry, repository: path, reference, byDigest: at >= 0 };
}

/** Renders a reference as `oci://host/repo:tag` or `oci://host/repo@sha256:…`. */
export function formatOciReference(ref: OciReference): string {
  return `oci://${ref.registry}/${ref.repository}${ref.byDigest ? '@' : ':'}${ref.reference}`;
}
