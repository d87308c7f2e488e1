/** Process exit codes of `hoi`, stable for scripts. */
export const EXIT = {
  ok: 0,
  /** A fatal error: a model could not load, a file could not be written. */
  fatal: 1,
  /** Bad flags or arguments. */
  usage: 2,
  /** The batch finished, but some images failed (each was reported on stderr). */
  partialFailure: 3,
} as const;
