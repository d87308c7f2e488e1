import { JsonlOutput } from './jsonl-output.js';

/** A batch about to run: where its records go, and which images still need work. */
export interface OpenedBatch {
  /** The JSON Lines output, when `--out` was given (opened for appending when resuming). */
  output: JsonlOutput | undefined;
  /** Images not yet in the output, in input order. */
  todo: string[];
  /** Images skipped because the output already holds them. */
  skipped: number;
}

/**
 * Starts a batch the same way for local and queued runs: reports inputs that matched nothing, opens
 * the output (cutting a partial last line left by a crash), and leaves out images already done.
 */
export function openBatch(
  images: readonly string[],
  problems: readonly { input: string; reason: string }[],
  options: { out?: string; resume?: boolean },
  stderr: NodeJS.WritableStream,
): OpenedBatch {
  for (const p of problems) stderr.write(`hoi: ${p.input}: ${p.reason}\n`);
  const output = options.out ? JsonlOutput.open(options.out, { resume: options.resume ?? true }) : undefined;
  if (output?.repairedBytes) {
    stderr.write(
      `hoi: ${options.out}: removed a partial last line (${output.repairedBytes} bytes) left by an interrupted run\n`,
    );
  }
  const todo = images.filter((p) => !output?.done.has(p));
  const skipped = images.length - todo.length;
  if (skipped > 0)
    stderr.write(`hoi: resuming: ${skipped} of ${images.length} images already in ${options.out}\n`);
  return { output, todo, skipped };
}
