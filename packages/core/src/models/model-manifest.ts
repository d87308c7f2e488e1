import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File name of the manifest inside a cached revision folder. */
export const MANIFEST_FILE = '.hoi-manifest.json';

/** What was downloaded, recorded at download time so {@link ModelCache.verify} can detect later damage. */
export interface ModelManifestEntry {
  /** Bytes on disk. */
  size: number;
  /** sha256 (hex) of the bytes, computed while downloading. */
  sha256: string;
  /** The server's ETag (`x-linked-etag` for LFS files), when it gave one. */
  etag?: string;
  /** True when the server's ETag was a sha256 and matched `sha256` (end-to-end check). */
  etagVerified: boolean;
  /** ISO time of the download. */
  downloadedAt: string;
}

/** Manifest of one cached (model, revision) folder. */
export interface ModelManifest {
  modelId: string;
  revision: string;
  /** The commit the server reported (`x-repo-commit`), when it did. */
  commit?: string;
  files: Record<string, ModelManifestEntry>;
}

/** Reads a folder's manifest; `undefined` when absent or unreadable. */
export async function readManifest(folder: string): Promise<ModelManifest | undefined> {
  try {
    const data = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')) as ModelManifest;
    return data && typeof data === 'object' && typeof data.files === 'object' ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a folder's manifest atomically (temp file, then rename). */
export async function writeManifest(folder: string, manifest: ModelManifest): Promise<void> {
  const target = join(folder, MANIFEST_FILE);
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temp, target);
}

/** sha256 (hex) of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The sha256 an ETag carries, if it is one (`"<64 hex>"`, weak prefix allowed); else undefined. */
export function sha256FromEtag(etag: string | null | undefined): string | undefined {
  if (!etag) return undefined;
  const value = etag.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
  return /^[0-9a-f]{64}$/.test(value) ? value : undefined;
}
