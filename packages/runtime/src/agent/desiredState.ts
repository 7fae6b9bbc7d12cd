import { z } from 'zod';

/**
 * Where a policy version comes from: a package directory (`/path`, `dir:/path`), an HTTP base URL
 * serving the package files (`https://host/path/`), or an OCI reference (`oci://host/repo:tag`).
 */
export const policyRefSchema = z.strictObject({
  source: z.string().min(1),
  /** Label shown in status and metrics, e.g. `nav-bc@7`. */
  version: z.string().min(1).optional(),
  /** `sha256:` of the package's digests file; a package with another digest is refused. */
  digest: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/, 'sha256:<64 hex digits>')
    .optional(),
});

/** What the control plane wants this runtime to run. */
export const desiredStateSchema = z.strictObject({
  policy: policyRefSchema.optional(),
  /** A challenger to run in shadow; null or absent = none. */
  shadow: policyRefSchema.nullable().optional(),
  /** Overrides `swap.when` of the configuration. */
  swapWhen: z.enum(['idle', 'any']).optional(),
});

export type PolicyRef = z.output<typeof policyRefSchema>;
export type DesiredState = z.output<typeof desiredStateSchema>;
