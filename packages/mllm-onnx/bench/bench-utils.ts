import { loadavg } from 'node:os';
import type { RgbImage } from '@hoi/core';
import { seededRandom } from '../scripts/onnx-graph.js';

/** One line of the printed table: a timing or a ratio. */
export interface Row {
  name: string;
  ms?: number;
  ratio?: number;
  /** [min, max] over the measured runs of `ms` or `ratio`, printed beside it. */
  spread?: [number, number];
  note?: string;
}

/** Wall times (ms) of `reps` sequential runs. */
export async function timeIt(reps: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/** Median (mean of the two middle values for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** [min, max] of a list. */
export function range(xs: number[]): [number, number] {
  return [Math.min(...xs), Math.max(...xs)];
}

/** A deterministic noise image. */
export function seededImage(width: number, height: number, seed: number): RgbImage {
  const rand = seededRandom(seed);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(rand() * 256);
  return { width, height, channels: 3, data };
}

/** Prints rows as an aligned table. */
export function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const v =
      r.ms !== undefined ? `${r.ms.toFixed(1)} ms` : r.ratio !== undefined ? `${r.ratio.toFixed(2)}x` : '';
    const d = r.ms !== undefined ? 0 : 2;
    const sp = r.spread ? `[${r.spread[0].toFixed(d)} - ${r.spread[1].toFixed(d)}]` : '';
    console.log(`  ${r.name.padEnd(w)}  ${v.padStart(12)} ${sp.padEnd(17)}${r.note ? ` ${r.note}` : ''}`);
  }
}

/** 1-, 5- and 15-minute load averages, for the record of how busy the shared machine was. */
export function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
