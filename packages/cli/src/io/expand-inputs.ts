import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/** File extensions treated as images when a folder or glob is expanded. */
export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'gif', 'tif', 'tiff', 'avif', 'bmp'] as const;

const IMAGE_RE = new RegExp(`\\.(${IMAGE_EXTENSIONS.join('|')})$`, 'i');

export interface ExpandedInputs {
  /** Image paths in a stable order: arguments in order, each folder or glob sorted. */
  images: string[];
  /** Arguments that matched nothing, with the reason. */
  problems: { input: string; reason: string }[];
}

/**
 * Turns command-line arguments (files, folders, globs) into image paths. Folders are searched
 * recursively for image extensions; explicit files are kept whatever their extension, so a bad file
 * is reported per image instead of silently skipped. Duplicates are dropped.
 */
export async function expandInputs(inputs: readonly string[], cwd = process.cwd()): Promise<ExpandedInputs> {
  const images: string[] = [];
  const problems: ExpandedInputs['problems'] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    const key = resolve(cwd, p);
    if (!seen.has(key)) {
      seen.add(key);
      images.push(p);
    }
  };
  for (const input of inputs) {
    if (isDynamicPattern(input)) {
      const found = (await glob(input, { cwd, onlyFiles: true, dot: false }))
        .filter((f) => IMAGE_RE.test(f))
        .sort();
      if (found.length === 0) problems.push({ input, reason: 'the pattern matched no image file' });
      found.forEach(add);
      continue;
    }
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(resolve(cwd, input));
    } catch {
      problems.push({ input, reason: 'no such file or folder' });
      continue;
    }
    if (info.isDirectory()) {
      const found = (await glob('**/*', { cwd: resolve(cwd, input), onlyFiles: true }))
        .filter((f) => IMAGE_RE.test(f))
        .sort()
        .map((f) => join(input, f));
      if (found.length === 0)
        problems.push({ input, reason: `the folder holds no image (${IMAGE_EXTENSIONS.join(', ')})` });
      found.forEach(add);
    } else {
      add(input);
    }
  }
  return { images, problems };
}
