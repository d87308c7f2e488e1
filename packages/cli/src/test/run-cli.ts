import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The CLI entry, run from its TypeScript source (no build needed). */
export const BIN = resolve(here, '../bin.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** ../shared next to the repository, where CI and developers have the real data. */
export const SHARED = resolve(here, '../../../../../shared');

/** Spawns `hoi ...args` as a child process. */
export function spawnCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', TSX, BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `hoi ...args` to completion; returns exit code, stdout and stderr. */
export async function runCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((res) => child.on('close', res));
  return { code, stdout, stderr };
}
