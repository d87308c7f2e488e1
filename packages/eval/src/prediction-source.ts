import { createReadStream } from 'node:fs';
import { InvalidArgumentError } from '@hoi/core';
import type { HoiResult } from '@hoi/core/spec';

/**
 * Where predictions come from: a JSON Lines file path, JSON Lines text, or result records already
 * in memory (sync or async iterable), so the CLI can stream a file and a pipeline can evaluate
 * without writing one.
 */
export type PredictionSource =
  | string
  | { readonly jsonl: string }
  | Iterable<HoiResult>
  | AsyncIterable<HoiResult>;

/**
 * Yield result records one at a time. Files are read in 1 MiB chunks and split on newlines, so a
 * file of a million triplets never sits in memory as one string.
 */
export async function* readPredictionRecords(source: PredictionSource): AsyncGenerator<HoiResult> {
  if (typeof source === 'string') {
    yield* readJsonLinesFile(source);
  } else if (typeof (source as { jsonl?: unknown }).jsonl === 'string') {
    let line = 0;
    for (const text of (source as { jsonl: string }).jsonl.split('\n')) {
      line++;
      const record = parseLine(text, line, 'jsonl');
      if (record) yield record;
    }
  } else if (Symbol.asyncIterator in (source as object)) {
    yield* source as AsyncIterable<HoiResult>;
  } else if (Symbol.iterator in (source as object)) {
    yield* source as Iterable<HoiResult>;
  } else {
    throw new InvalidArgumentError(
      'predictions',
      'a JSON Lines path, { jsonl }, or an iterable of result records',
      source,
    );
  }
}

async function* readJsonLinesFile(path: string): AsyncGenerator<HoiResult> {
  // Bytes, split on "\n" (never inside UTF-8 multi-byte sequences), decoded one line at a time:
  // cheaper than decoding chunks to strings and concatenating the tail of each onto the next.
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  let rest: Buffer | null = null;
  let line = 0;
  try {
    for await (const piece of stream as AsyncIterable<Buffer>) {
      const chunk: Buffer = rest ? Buffer.concat([rest, piece]) : piece;
      let start = 0;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
        line++;
        const record = parseLine(chunk.toString('utf8', start, nl), line, path);
        if (record) yield record;
        start = nl + 1;
      }
      rest = start < chunk.length ? chunk.subarray(start) : null;
    }
  } catch (cause) {
    if (cause instanceof InvalidArgumentError) throw cause;
    throw new InvalidArgumentError('predictions', 'a readable JSON Lines file', `${path} (${String(cause)})`);
  }
  if (rest) {
    const record = parseLine(rest.toString('utf8'), line + 1, path);
    if (record) yield record;
  }
}

function parseLine(text: string, line: number, where: string): HoiResult | undefined {
  if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // UTF-8 byte-order mark
  if (text.length === 0 || text.trim().length === 0) return undefined;
  try {
    return JSON.parse(text) as HoiResult;
  } catch {
    throw new InvalidArgumentError(
      'predictions',
      `one JSON object per line (${where}, line ${line})`,
      text.slice(0, 80),
    );
  }
}
