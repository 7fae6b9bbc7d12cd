import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Path of the CLI entry in source form. */
export const CLI_SOURCE = fileURLToPath(new URL('../bin.ts', import.meta.url));

/** Node arguments that run TypeScript sources of the workspace directly (no build needed). */
export const SOURCE_NODE_ARGS = ['--conditions=@fleetloop/source', '--import', 'tsx'] as const;

/** What a CLI run printed and how it ended. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `fleetloop ARGS` from source in a child process and collects its output. */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...SOURCE_NODE_ARGS, CLI_SOURCE, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
