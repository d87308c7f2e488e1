import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError } from '../errors/hoi-error.js';

/** A model named either by a folder on disk or by a Hugging Face repository id. */
export type ModelReference =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'hub'; readonly id: string; readonly org: string; readonly name: string };

const HUB_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Tells a local folder from a Hugging Face id. An absolute path, one starting with `.` or `~`, or any
 * path that exists on disk is local (so a folder named `org/name` in the working directory wins);
 * otherwise `org/name` is a hub id. Anything else is an {@link InvalidArgumentError}.
 */
export function parseModelReference(modelIdOrPath: string): ModelReference {
  if (typeof modelIdOrPath !== 'string' || modelIdOrPath.trim() === '') {
    throw new InvalidArgumentError(
      'model',
      'a local folder or a Hugging Face id such as "org/name"',
      modelIdOrPath,
    );
  }
  const ref = modelIdOrPath.trim();
  if (ref === '~' || ref.startsWith('~/')) return { kind: 'local', path: resolve(homedir(), ref.slice(2)) };
  if (isAbsolute(ref) || ref.startsWith('.') || existsSync(ref)) return { kind: 'local', path: resolve(ref) };
  if (HUB_ID.test(ref) && !ref.includes('..')) {
    const [org, name] = ref.split('/') as [string, string];
    return { kind: 'hub', id: ref, org, name };
  }
  throw new InvalidArgumentError(
    'model',
    'an existing folder or a Hugging Face id such as "org/name" (letters, digits, _ . -)',
    modelIdOrPath,
  );
}

/**
 * Checks a model-relative file path (`config.json`, `onnx/model.onnx`): relative, `/`-separated,
 * no `.`/`..` segments, so it can never leave the model folder. Returns it unchanged.
 */
export function checkModelFile(file: unknown, argument: string): string {
  if (
    typeof file !== 'string' ||
    file === '' ||
    file.startsWith('/') ||
    file.includes('\\') ||
    file.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
  ) {
    throw new InvalidArgumentError(
      argument,
      'a relative file path inside the model such as "onnx/model.onnx"',
      file,
    );
  }
  return file;
}

/** Checks a revision (branch, tag or commit; `refs/pr/1` allowed) and returns it. */
export function checkRevision(revision: unknown): string {
  if (
    typeof revision !== 'string' ||
    !/^[A-Za-z0-9_.\-/]+$/.test(revision) ||
    revision.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')
  ) {
    throw new InvalidArgumentError('revision', 'a branch, tag or commit such as "main"', revision);
  }
  return revision;
}
