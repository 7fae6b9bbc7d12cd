import { ConfigError } from '@fleetloop/core';

/** A reference to a model version: `name:3`, `name@champion` (or `name:champion`), or `name` (latest). */
export type ModelRef =
  | { readonly kind: 'version'; readonly name: string; readonly version: number }
  | { readonly kind: 'alias'; readonly name: string; readonly alias: string }
  | { readonly kind: 'latest'; readonly name: string };

const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const ALIAS = /^[a-z][a-z0-9_-]*$/;

/** Whether a string is a valid alias name (`champion`, `challenger`, `candidate`, or custom). */
export function isValidAlias(alias: string): boolean {
  return ALIAS.test(alias);
}

/**
 * Parses a model reference.
 *
 * @throws {ConfigError} naming the reference and the accepted forms.
 */
export function parseModelRef(text: string): ModelRef {
  const at = text.indexOf('@');
  const colon = text.lastIndexOf(':');
  const split = at >= 0 ? at : colon;
  const name = split >= 0 ? text.slice(0, split) : text;
  const rest = split >= 0 ? text.slice(split + 1) : undefined;
  const bad = (): ConfigError =>
    new ConfigError(
      `"${text}" is not a model reference; use NAME:VERSION (nav-bc:3), NAME@ALIAS (nav-bc@champion) or NAME`,
      {},
    );
  if (!NAME.test(name)) throw bad();
  if (rest === undefined) return { kind: 'latest', name };
  if (at < 0 && /^\d+$/.test(rest)) {
    const version = Number(rest);
    if (version < 1) throw bad();
    return { kind: 'version', name, version };
  }
  if (!ALIAS.test(rest)) throw bad();
  return { kind: 'alias', name, alias: rest };
}

/** Renders a reference back to text. */
export function formatModelRef(ref: ModelRef): string {
  switch (ref.kind) {
    case 'version':
      return `${ref.name}:${ref.version}`;
    case 'alias':
      return `${ref.name}@${ref.alias}`;
    case 'latest':
      return ref.name;
  }
}
