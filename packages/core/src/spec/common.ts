/** A box as x1, y1, x2, y2 in source-image pixels (x2 >= x1, y2 >= y1). */
export type BoxXyxy = [x1: number, y1: number, x2: number, y2: number];

/**
 * A setting the adapter could not honour, or anything else the caller should know but that does
 * not stop the call. Adapters return warnings instead of throwing for unsupported settings.
 */
export interface SpecWarning {
  readonly type: 'unsupported-setting' | 'degraded' | 'other';
  /** The setting concerned, for `unsupported-setting`. */
  readonly setting?: string;
  readonly message: string;
}

/** Adapter-specific options, keyed by the adapter's `provider` name. */
export type ProviderOptions = Record<string, Record<string, unknown>>;

/** Adapter-specific output, keyed by the adapter's `provider` name. Plain JSON data. */
export type ProviderMetadata = Record<string, Record<string, unknown>>;
