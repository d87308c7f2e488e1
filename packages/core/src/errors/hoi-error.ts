const MARKER = Symbol.for('@hoi/core.error');

/** Stable error names: branch on `error.name`, never on message text. */
export type HoiErrorName =
  | 'HoiInvalidArgumentError'
  | 'HoiImageDecodeError'
  | 'HoiModelLoadError'
  | 'HoiUnexpectedModelOutputError'
  | 'HoiApiCallError'
  | 'HoiOutputParseError'
  | 'HoiUnsupportedSpecVersionError'
  | 'HoiAbortError';

/**
 * The one base class of every error the toolkit throws. Recognise it across duplicate installs
 * with `HoiError.isInstance(e)` (a `Symbol.for` marker), not `instanceof`.
 * Messages say what to change; they never contain secrets.
 */
export class HoiError extends Error {
  readonly [MARKER] = true;
  override readonly name: HoiErrorName;

  constructor(name: HoiErrorName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }

  /** True for any `HoiError`, whichever copy of `@hoi/core` created it. */
  static isInstance(error: unknown): error is HoiError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** An argument has the wrong form. `argument` names it; the message states the expected form. */
export class InvalidArgumentError extends HoiError {
  readonly argument: string;
  constructor(argument: string, expected: string, actual?: unknown) {
    super(
      'HoiInvalidArgumentError',
      `Invalid argument \`${argument}\`: expected ${expected}${actual === undefined ? '' : `, got ${describe(actual)}`}.`,
    );
    this.argument = argument;
  }
  static isInstance(error: unknown): error is InvalidArgumentError {
    return HoiError.isInstance(error) && error.name === 'HoiInvalidArgumentError';
  }
}

/** An image could not be read or decoded, or is larger than the pixel limit. */
export class ImageDecodeError extends HoiError {
  readonly source: string;
  constructor(source: string, reason: string, options?: { cause?: unknown }) {
    super('HoiImageDecodeError', `Cannot use image ${source}: ${reason}`, options);
    this.source = source;
  }
}

/** A model file or folder could not be loaded. */
export class ModelLoadError extends HoiError {
  readonly path: string;
  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super('HoiModelLoadError', `Cannot load model from ${path}: ${reason}`, options);
    this.path = path;
  }
}

/** A model returned a tensor of an unexpected shape or content. */
export class UnexpectedModelOutputError extends HoiError {
  readonly tensor: string;
  readonly expected: string;
  readonly actual: string;
  constructor(tensor: string, expected: string, actual: string, hint?: string) {
    super(
      'HoiUnexpectedModelOutputError',
      `Model output \`${tensor}\` has an unexpected form: expected ${expected}, got ${actual}.${hint ? ` ${hint}` : ''}`,
    );
    this.tensor = tensor;
    this.expected = expected;
    this.actual = actual;
  }
}

/** A remote API call failed. `isRetryable` says whether trying again may help. Never holds a token. */
export class ApiCallError extends HoiError {
  readonly url: string;
  readonly status: number | undefined;
  readonly responseBody: string | undefined;
  readonly isRetryable: boolean;
  constructor(options: {
    url: string;
    status?: number;
    responseBody?: string;
    isRetryable: boolean;
    message: string;
    cause?: unknown;
  }) {
    super('HoiApiCallError', options.message, { cause: options.cause });
    this.url = options.url;
    this.status = options.status;
    this.responseBody = options.responseBody;
    this.isRetryable = options.isRetryable;
  }
}

/** Model text could not be parsed into the expected structure. Carries the raw text. */
export class OutputParseError extends HoiError {
  readonly text: string;
  constructor(text: string, expected: string) {
    super(
      'HoiOutputParseError',
      `Cannot parse model output as ${expected}: ${JSON.stringify(text.slice(0, 200))}`,
    );
    this.text = text;
  }
}

/** A plugin implements a spec version this runtime does not know. */
export class UnsupportedSpecVersionError extends HoiError {
  constructor(what: string, version: unknown, supported: readonly string[]) {
    super(
      'HoiUnsupportedSpecVersionError',
      `${what} implements specificationVersion ${JSON.stringify(version)}; this runtime supports ${supported
        .map((v) => JSON.stringify(v))
        .join(', ')}. Upgrade @hoi/core or the plugin.`,
    );
  }
}

/** The operation was cancelled through its AbortSignal. */
export class AbortError extends HoiError {
  constructor(reason?: unknown) {
    super(
      'HoiAbortError',
      `The operation was aborted${reason instanceof Error ? `: ${reason.message}` : '.'}`,
      {
        cause: reason,
      },
    );
  }
}

/** Throws an {@link AbortError} when the signal is aborted. Call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError(signal.reason);
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}...` : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  return typeof value;
}
