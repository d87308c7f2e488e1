import { loadImage } from '@hoi/core';
import type { Detector } from '@hoi/core/spec';

/** Per-image stage times in ms: decode (here), then the adapter's own preprocess, inference, postprocess. */
export interface StageTimes {
  decode: number;
  pre: number;
  inf: number;
  post: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Runs a detector on one encoded image `runs` times after `warmup` runs and returns the medians of wall
 * and process CPU time per stage. The adapter reports its stages in `providerMetadata[provider].timing`
 * (`preprocessMs`, `preprocessCpuMs`, ...); `metadata` is that entry from the last run.
 */
export async function timeDetectorStages(
  detector: Detector,
  jpeg: Uint8Array,
  options: { runs: number; warmup: number },
): Promise<{ wall: StageTimes; cpu: StageTimes; metadata: Record<string, unknown> }> {
  const wall: StageTimes[] = [];
  const cpu: StageTimes[] = [];
  let metadata: Record<string, unknown> = {};
  for (let r = 0; r < options.runs + options.warmup; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const image = await loadImage(jpeg);
    const decode = performance.now() - t0;
    const u = process.cpuUsage(c0);
    const result = await detector.doDetect(image);
    metadata = result.providerMetadata?.[detector.provider] ?? {};
    const t = metadata.timing as Record<string, number>;
    if (r < options.warmup) continue;
    wall.push({ decode, pre: t.preprocessMs!, inf: t.inferenceMs!, post: t.postprocessMs! });
    cpu.push({
      decode: (u.user + u.system) / 1000,
      pre: t.preprocessCpuMs!,
      inf: t.inferenceCpuMs!,
      post: t.postprocessCpuMs!,
    });
  }
  const summarize = (rows: StageTimes[]): StageTimes => ({
    decode: median(rows.map((x) => x.decode)),
    pre: median(rows.map((x) => x.pre)),
    inf: median(rows.map((x) => x.inf)),
    post: median(rows.map((x) => x.post)),
  });
  return { wall: summarize(wall), cpu: summarize(cpu), metadata };
}
