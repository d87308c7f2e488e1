import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  AbortError,
  ApiCallError,
  HoiError,
  InvalidArgumentError,
  ModelLoadError,
  throwIfAborted,
} from '../errors/hoi-error.js';
import { resolveCacheDir } from './cache-dir.js';
import {
  type DownloadedFile,
  downloadFile,
  type HttpContext,
  probeRemoteFile,
  type RemoteFileInfo,
  withFileLock,
} from './download-file.js';
import {
  MANIFEST_FILE,
  type ModelManifest,
  readManifest,
  sha256File,
  writeManifest,
} from './model-manifest.js';
import { checkModelFile, checkRevision, parseModelReference } from './model-reference.js';

/** Settings of one {@link ModelCache}. Each falls back to an environment variable. */
export interface ModelCacheOptions {
  /** Cache folder; see {@link resolveCacheDir} (HOI_CACHE_DIR, HF_HOME, XDG_CACHE_HOME, ~/.cache). */
  cacheDir?: string;
  /** Use only the cache, never the network. Default: HOI_OFFLINE or HF_HUB_OFFLINE is `1`/`true`. */
  offline?: boolean;
  /** Hub address. Default: HF_ENDPOINT, else `https://huggingface.co`. */
  endpoint?: string;
  /** Access token for gated/private models. Default: HF_TOKEN. Sent as `Authorization: Bearer`, never printed. */
  token?: string;
  /** fetch implementation (default the global one), e.g. to add a proxy agent. */
  fetch?: typeof globalThis.fetch;
  /** Environment to read the defaults from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Attempts after a retryable failure (interruption, 429, 5xx) per file, resuming each time. Default 2. */
  maxRetries?: number;
  /** First wait before a retry, doubled each time. Default 500 ms. */
  retryDelayMs?: number;
}

/** One progress event of {@link ModelCache.resolve}. Totals are `undefined` when the server gave no size. */
export interface ModelDownloadProgress {
  modelId: string;
  revision: string;
  /** The file concerned (model-relative path). */
  file: string;
  /** `cached`: already on disk; `downloading`: bytes arrived; `done`: file complete. */
  status: 'cached' | 'downloading' | 'done';
  /** Bytes of this file. */
  fileProgress: { loaded: number; total: number | undefined };
  /** Bytes of all requested files (cached ones included), so `loaded === total` at the end. */
  overall: { loaded: number; total: number | undefined };
}

/** Options of one {@link ModelCache.resolve} call. */
export interface ResolveModelOptions {
  /** Branch, tag or commit. Default `main`. Ignored for local folders. */
  revision?: string;
  onProgress?: (event: ModelDownloadProgress) => void;
  signal?: AbortSignal;
}

/** One cached (model, revision) as {@link ModelCache.list} reports it. */
export interface CachedModel {
  modelId: string;
  revision: string;
  /** The folder {@link ModelCache.resolve} returns for it. */
  path: string;
  /** Model-relative file names present. */
  files: string[];
  /** Total bytes of those files. */
  size: number;
}

/** Result of {@link ModelCache.verify}. */
export interface ModelVerifyReport {
  modelId: string;
  /** True when every file is present and matches its recorded sha256. */
  ok: boolean;
  files: {
    revision: string;
    file: string;
    /** `modified`: sha256 differs; `missing`: recorded but gone; `unrecorded`: on disk, not in the manifest. */
    status: 'ok' | 'modified' | 'missing' | 'unrecorded';
    expectedSha256?: string;
    actualSha256?: string;
  }[];
}

/** Resolves model references to local folders, downloading from the Hugging Face hub into a cache. */
export interface ModelCache {
  /** The cache folder in use. */
  readonly cacheDir: string;
  /** Whether this cache never touches the network. */
  readonly offline: boolean;
  /**
   * A local folder holding `files`: a folder path is checked and returned as is; a hub id
   * (`org/name`) is downloaded as needed into `<cacheDir>/models/<org>--<name>/<revision>/`.
   */
  resolve(modelIdOrPath: string, files: readonly string[], options?: ResolveModelOptions): Promise<string>;
  /** Everything in the cache. */
  list(): Promise<CachedModel[]>;
  /** Re-hashes a cached model's files against the manifest written at download time. */
  verify(modelId: string, options?: { revision?: string }): Promise<ModelVerifyReport>;
  /** Deletes one model (all revisions) or, without an id, every cached model. */
  clear(modelId?: string): Promise<void>;
}

const DEFAULT_ENDPOINT = 'https://huggingface.co';
const truthy = (value: string | undefined) => value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
const folderName = (org: string, name: string) => `${org}--${name}`;
const revisionFolder = (revision: string) => encodeURIComponent(revision);

/**
 * Creates the model cache every adapter uses, so weights are downloaded once, atomically, into one
 * place, with the same offline switch, token handling and errors everywhere.
 */
export function createModelCache(options: ModelCacheOptions = {}): ModelCache {
  const env = options.env ?? process.env;
  const cacheDir = resolveCacheDir({ cacheDir: options.cacheDir, env });
  const offline = options.offline ?? (truthy(env.HOI_OFFLINE) || truthy(env.HF_HUB_OFFLINE));
  const endpoint = (options.endpoint ?? (env.HF_ENDPOINT?.trim() || DEFAULT_ENDPOINT)).replace(/\/+$/, '');
  const token = options.token ?? (env.HF_TOKEN?.trim() || env.HUGGING_FACE_HUB_TOKEN?.trim() || undefined);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const maxRetries = options.maxRetries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 500;
  if (!/^https?:\/\//.test(endpoint)) {
    throw new InvalidArgumentError('endpoint', 'an http(s) URL such as https://huggingface.co', endpoint);
  }
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new InvalidArgumentError('maxRetries', 'an integer >= 0', maxRetries);
  }
  const modelsDir = join(cacheDir, 'models');
  const redact = (text: string) => (token ? text.split(token).join('***') : text);
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};

  const fileUrl = (id: string, revision: string, file: string) =>
    `${endpoint}/${id}/resolve/${encodeURIComponent(revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;

  async function resolveLocal(path: string, files: readonly string[]): Promise<string> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) throw new ModelLoadError(path, 'not a folder');
    for (const file of files) {
      const found = await stat(join(path, file)).catch(() => undefined);
      if (!found?.isFile()) throw new ModelLoadError(path, `missing file ${file}`);
    }
    return path;
  }

  async function downloadWithRetries(
    ctx: HttpContext,
    url: string,
    dest: string,
    info: RemoteFileInfo,
    onBytes: (loaded: number, total: number | undefined) => void,
  ): Promise<DownloadedFile> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await downloadFile(ctx, url, dest, info, onBytes);
      } catch (error) {
        if (!(error instanceof ApiCallError) || !error.isRetryable || attempt >= maxRetries) throw error;
        await sleep(retryDelayMs * 2 ** attempt, ctx.signal);
      }
    }
  }

  async function resolveHub(
    ref: { id: string; org: string; name: string },
    files: readonly string[],
    resolveOptions: ResolveModelOptions,
  ): Promise<string> {
    const revision = checkRevision(resolveOptions.revision ?? 'main');
    const { onProgress, signal } = resolveOptions;
    const folder = join(modelsDir, folderName(ref.org, ref.name), revisionFolder(revision));
    const sizes = new Map<string, number>();
    const missing: string[] = [];
    for (const file of files) {
      const found = await stat(join(folder, file)).catch(() => undefined);
      if (found?.isFile()) sizes.set(file, found.size);
      else missing.push(file);
    }
    if (missing.length > 0 && offline) {
      throw new ModelLoadError(
        ref.id,
        `offline mode (HOI_OFFLINE=1 or offline: true) and ${missing.join(', ')} ${
          missing.length === 1 ? 'is' : 'are'
        } not in the cache. On a machine with network access download ${missing
          .map((f) => fileUrl(ref.id, revision, f))
          .join(' ')} into ${folder}/ (keeping the file paths), or turn offline mode off`,
      );
    }
    const infos = new Map<string, RemoteFileInfo>();
    for (const file of missing) {
      throwIfAborted(signal);
      const ctx: HttpContext = { fetch: fetchImpl, headers, signal, redact, modelId: ref.id, file };
      infos.set(file, await probeRemoteFile(ctx, fileUrl(ref.id, revision, file)));
    }
    const knownTotal = (file: string) => sizes.get(file) ?? infos.get(file)?.size;
    const total = files.every((f) => knownTotal(f) !== undefined)
      ? files.reduce((sum, f) => sum + (knownTotal(f) as number), 0)
      : undefined;
    let completed = 0;
    const emit = (
      file: string,
      status: ModelDownloadProgress['status'],
      loaded: number,
      fileTotal?: number,
    ) =>
      onProgress?.({
        modelId: ref.id,
        revision,
        file,
        status,
        fileProgress: { loaded, total: fileTotal },
        overall: { loaded: completed + (status === 'done' || status === 'cached' ? 0 : loaded), total },
      });
    for (const file of files) {
      const size = sizes.get(file);
      if (size === undefined) continue;
      completed += size;
      emit(file, 'cached', size, size);
    }
    for (const file of missing) {
      throwIfAborted(signal);
      const url = fileUrl(ref.id, revision, file);
      const dest = join(folder, file);
      const ctx: HttpContext = { fetch: fetchImpl, headers, signal, redact, modelId: ref.id, file };
      const info = infos.get(file) ?? {};
      await withCacheErrors(ref.id, dest, () =>
        withFileLock(dest, signal, async () => {
          const done = await stat(dest).catch(() => undefined);
          let result: DownloadedFile | undefined;
          if (!done?.isFile()) {
            result = await downloadWithRetries(ctx, url, dest, info, (loaded, fileTotal) =>
              emit(file, 'downloading', loaded, fileTotal),
            );
            const manifest: ModelManifest = (await readManifest(folder)) ?? {
              modelId: ref.id,
              revision,
              files: {},
            };
            if (info.commit) manifest.commit = info.commit;
            manifest.files[file] = {
              size: result.size,
              sha256: result.sha256,
              ...(info.etag ? { etag: info.etag } : {}),
              etagVerified: result.etagVerified,
              downloadedAt: new Date().toISOString(),
            };
            await writeManifest(folder, manifest);
          }
          const size = result?.size ?? done?.size ?? 0;
          completed += size;
          emit(file, 'done', size, size);
        }),
      );
    }
    return folder;
  }

  async function cachedRevisions(org: string, name: string): Promise<{ revision: string; path: string }[]> {
    const modelDir = join(modelsDir, folderName(org, name));
    const entries = await readdir(modelDir, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => ({ revision: decodeURIComponent(e.name), path: join(modelDir, e.name) }));
  }

  return Object.freeze({
    cacheDir,
    offline,
    async resolve(modelIdOrPath, files, resolveOptions = {}) {
      if (!Array.isArray(files)) throw new InvalidArgumentError('files', 'an array of file paths', files);
      for (const [i, file] of files.entries()) checkModelFile(file, `files[${i}]`);
      throwIfAborted(resolveOptions.signal);
      const ref = parseModelReference(modelIdOrPath);
      if (ref.kind === 'local') return resolveLocal(ref.path, files);
      return resolveHub(ref, files, resolveOptions);
    },

    async list() {
      const out: CachedModel[] = [];
      const modelDirs = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
      for (const modelDir of modelDirs
        .filter((e) => e.isDirectory())
        .sort((a, b) => a.name.localeCompare(b.name))) {
        const split = modelDir.name.indexOf('--');
        if (split < 0) continue;
        const [org, name] = [modelDir.name.slice(0, split), modelDir.name.slice(split + 2)];
        for (const { revision, path } of await cachedRevisions(org, name)) {
          const manifest = await readManifest(path);
          const files = await listModelFiles(path);
          let size = 0;
          for (const file of files) size += (await stat(join(path, file))).size;
          out.push({ modelId: manifest?.modelId ?? `${org}/${name}`, revision, path, files, size });
        }
      }
      return out;
    },

    async verify(modelId, verifyOptions = {}) {
      const ref = parseModelReference(modelId);
      if (ref.kind !== 'hub') {
        throw new InvalidArgumentError('modelId', 'a Hugging Face id such as "org/name"', modelId);
      }
      let revisions = await cachedRevisions(ref.org, ref.name);
      if (verifyOptions.revision !== undefined) {
        const wanted = checkRevision(verifyOptions.revision);
        revisions = revisions.filter((r) => r.revision === wanted);
      }
      if (revisions.length === 0) {
        throw new ModelLoadError(
          ref.id,
          `not in the cache ${modelsDir}${verifyOptions.revision ? ` at revision ${verifyOptions.revision}` : ''}`,
        );
      }
      const report: ModelVerifyReport = { modelId: ref.id, ok: true, files: [] };
      for (const { revision, path } of revisions) {
        const recorded = (await readManifest(path))?.files ?? {};
        const present = new Set(await listModelFiles(path));
        for (const [file, entry] of Object.entries(recorded)) {
          if (!present.has(file)) {
            report.files.push({ revision, file, status: 'missing', expectedSha256: entry.sha256 });
            continue;
          }
          const actual = await sha256File(join(path, file));
          report.files.push({
            revision,
            file,
            status: actual === entry.sha256 ? 'ok' : 'modified',
            expectedSha256: entry.sha256,
            actualSha256: actual,
          });
        }
        for (const file of present) {
          if (!(file in recorded)) report.files.push({ revision, file, status: 'unrecorded' });
        }
      }
      report.ok = report.files.every((f) => f.status === 'ok');
      return report;
    },

    async clear(modelId) {
      if (modelId === undefined) {
        await rm(modelsDir, { recursive: true, force: true });
        return;
      }
      const ref = parseModelReference(modelId);
      if (ref.kind !== 'hub') {
        throw new InvalidArgumentError('modelId', 'a Hugging Face id such as "org/name"', modelId);
      }
      await rm(join(modelsDir, folderName(ref.org, ref.name)), { recursive: true, force: true });
    },
  } satisfies ModelCache);
}

/**
 * Runs `work`, turning file-system failures (permissions, a full disk) into {@link ModelLoadError}
 * that names the cache path; toolkit errors pass through unchanged.
 */
async function withCacheErrors<T>(modelId: string, path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (HoiError.isInstance(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelLoadError(
      modelId,
      `cannot write ${path} (${reason}); check the permissions and free space of the cache folder, or set HOI_CACHE_DIR`,
      { cause: error },
    );
  }
}

/** Model files under a cached folder: everything except the manifest and in-progress `.partial`/`.lock` files. */
async function listModelFiles(folder: string): Promise<string[]> {
  if (!existsSync(folder)) return [];
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(folder, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((f) => f !== MANIFEST_FILE && !/\.(partial|lock)$/.test(f) && !/\.tmp$/.test(f))
    .sort();
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError(signal.reason));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError(signal?.reason));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
