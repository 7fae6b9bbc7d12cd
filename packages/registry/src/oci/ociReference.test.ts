import { describe, expect, it } from 'vitest';
import { parseAuthChallenge } from './ociAuth.js';
import { isLoopback } from './OciRegistryClient.js';
import { formatOciReference, parseOciReference } from './ociReference.js';

describe('OCI references', () => {
  it('parses host, repository and tag or digest', () => {
    expect(parseOciReference('oci://127.0.0.1:5000/fleet/nav-bc:v1')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'fleet/nav-bc',
      reference: 'v1',
      byDigest: false,
    });
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(parseOciReference(`myregistry.azurecr.io/nav@${digest}`)).toMatchObject({
      reference: digest,
      byDigest: true,
    });
    expect(parseOciReference('oci://localhost:5000/nav').reference).toBe('latest');
    expect(formatOciReference(parseOciReference(`oci://h:1/a/b@${digest}`))).toBe(`oci://h:1/a/b@${digest}`);
  });

  it('names what is wrong with a bad reference', () => {
    expect(() => parseOciReference('oci://nav-bc')).toThrow(/no registry host/);
    expect(() => parseOciReference('oci://h/Nav')).toThrow(/repository "Nav"/);
    expect(() => parseOciReference('oci://h/nav@sha256:xyz')).toThrow(/digest "sha256:xyz"/);
  });

  it('treats loopback registries as plain HTTP hosts', () => {
    expect(isLoopback('127.0.0.1:5000')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('[::1]:5000')).toBe(true);
    expect(isLoopback('registry.example.com:5000')).toBe(false);
  });
});

describe('WWW-Authenticate challenges', () => {
  it('parses a Bearer challenge with quoted parameters', () => {
    expect(
      parseAuthChallenge(
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example/token',
        service: 'registry.example',
        scope: 'repository:a/b:pull',
      },
    });
    expect(parseAuthChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
    expect(parseAuthChallenge('Negotiate abc')).toBeUndefined();
    expect(parseAuthChallenge(null)).toBeUndefined();
  });
});
