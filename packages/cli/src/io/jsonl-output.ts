import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/**
 * A JSON Lines file that results are appended to image by image, so a batch run can be resumed.
 *
 * Each record is written with one `write(2)` of a complete line; on Linux a signal cannot split a
 * write to a regular file, so a kill leaves either the whole line or nothing. If an earlier process
 * died in a way that still left a partial last line (power loss, full disk), `open` cuts it off
 * before appending, so the file is always valid JSON Lines after a resume.
 */
export class JsonlOutput {
  private fd: number;
  /** `image` fields of the records already in the file when it was opened. */
  readonly done: ReadonlySet<string>;
  /** Bytes cut off a partial last line at open, 0 when the file was intact. */
  readonly repairedBytes: number;

  private constructor(fd: number, done: Set<string>, repairedBytes: number) {
    this.fd = fd;
    this.done = done;
    this.repairedBytes = repairedBytes;
  }

  /** Opens (creating) `path`; with `resume`, keeps its valid records and reports their images as done. */
  static open(path: string, options: { resume: boolean }): JsonlOutput {
    const done = new Set<string>();
    let repaired = 0;
    if (options.resume && existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      let valid = 0;
      let start = 0;
      while (start < text.length) {
        const end = text.indexOf('\n', start);
        if (end < 0) break; // a last line without newline is partial by construction
        const line = text.slice(start, end);
        try {
          const record = JSON.parse(line) as { image?: unknown };
          if (typeof record.image === 'string') done.add(record.image);
        } catch {
          break; // corrupt line: cut here
        }
        start = end + 1;
        valid = Buffer.byteLength(text.slice(0, start));
      }
      const total = Buffer.byteLength(text);
      if (valid < total) {
        const fd = openSync(path, 'r+');
        ftruncateSync(fd, valid);
        closeSync(fd);
        repaired = total - valid;
      }
    }
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, options.resume ? 'a' : 'w');
    return new JsonlOutput(fd, done, repaired);
  }

  /** Appends one record as one line, flushed to disk. */
  append(record: unknown): void {
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
