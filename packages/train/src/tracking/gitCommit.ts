import { execFile } from 'node:child_process';

/** The checked-out git commit of `cwd`, or undefined outside a repository (or without git). */
export function gitCommit(cwd: string = process.cwd()): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', 'HEAD'], { cwd, timeout: 5000 }, (error, stdout) => {
      const commit = stdout.trim();
      resolve(error === null && /^[0-9a-f]{40}$/.test(commit) ? commit : undefined);
    });
  });
}
