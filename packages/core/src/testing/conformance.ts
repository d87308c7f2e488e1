import { HoiError } from '../errors/hoi-error.js';
import type { DetectedInstance, Detector } from '../spec/detector.js';
import type { RgbImage } from '../spec/image.js';
import type { InteractionCandidate, InteractionPair, InteractionRecognizer } from '../spec/recognizer.js';
import { createSyntheticImage, createUniformImage } from './synthetic-image.js';

/** One conformance check and its outcome. */
export interface ConformanceCheck {
  name: string;
  ok: boolean;
  /** What was wrong, when `ok` is false. */
  message?: string;
}

export interface ConformanceReport {
  /** True when every check passed. */
  ok: boolean;
  checks: ConformanceCheck[];
}

export interface DetectorConformanceOptions {
  /**
   * Images to detect in. Give real photos where the detector finds something; default: synthetic
   * non-square images (landscape and portrait).
   */
  images?: RgbImage[];
  /** Skip the determinism check (for detectors documented as non-deterministic). */
  skipDeterminism?: boolean;
}

type Check = { name: string; run: () => Promise<void> | void };

async function runChecks(checks: Check[]): Promise<ConformanceReport> {
  const out: ConformanceCheck[] = [];
  for (const c of checks) {
    try {
      await c.run();
      out.push({ name: c.name, ok: true });
    } catch (error) {
      out.push({ name: c.name, ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { ok: out.every((c) => c.ok), checks: out };
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function expectAbort(run: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
  const controller = new AbortController();
  controller.abort(new Error('conformance abort'));
  try {
    await run(controller.signal);
  } catch (error) {
    assert(
      HoiError.isInstance(error) && error.name === 'HoiAbortError',
      `an aborted call must reject with a HoiError named HoiAbortError (use throwIfAborted / AbortError from @hoi/core), got ${
        (error as Error)?.name
      }: ${(error as Error)?.message}`,
    );
    return;
  }
  throw new Error('a call with an already aborted signal resolved instead of rejecting');
}

function checkInstances(
  instances: DetectedInstance[],
  image: RgbImage,
  labels: Set<string> | undefined,
  where: string,
) {
  assert(Array.isArray(instances), `${where}: instances must be an array`);
  instances.forEach((d, i) => {
    const b = d.box;
    assert(
      Array.isArray(b) && b.length === 4 && b.every(Number.isFinite),
      `${where}: instances[${i}].box must be 4 finite numbers`,
    );
    assert(
      b[0] <= b[2] && b[1] <= b[3],
      `${where}: instances[${i}].box must be x1,y1,x2,y2 with x1 <= x2, y1 <= y2, got [${b}]`,
    );
    assert(
      b[0] >= 0 && b[1] >= 0 && b[2] <= image.width && b[3] <= image.height,
      `${where}: instances[${i}].box [${b}] must lie in the ${image.width}x${image.height} source image (source pixels, clipped)`,
    );
    assert(
      Number.isFinite(d.score) && d.score >= 0 && d.score <= 1,
      `${where}: instances[${i}].score must be in [0, 1], got ${d.score}`,
    );
    assert(
      typeof d.label === 'string' && d.label.length > 0,
      `${where}: instances[${i}].label must be a non-empty string`,
    );
    if (labels)
      assert(
        labels.has(d.label),
        `${where}: instances[${i}].label ${JSON.stringify(d.label)} is not in detector.labels`,
      );
    if (i > 0)
      assert(instances[i - 1]!.score >= d.score, `${where}: instances must be sorted by descending score`);
  });
  JSON.stringify(instances); // plain data: must serialise
}

/**
 * Checks that a detector honours the v1 contract: version and static fields, box format (x1,y1,x2,y2 in
 * source pixels inside the image) and order, label set, score range, plain-data output, empty images,
 * thresholds, determinism and abort. Usable from any test runner: assert `report.ok`, or use
 * {@link assertDetectorConformance}.
 */
export async function checkDetectorConformance(
  detector: Detector,
  options: DetectorConformanceOptions = {},
): Promise<ConformanceReport> {
  const images = options.images ?? [createSyntheticImage(320, 200), createSyntheticImage(200, 320)];
  const labels = detector.capabilities?.openVocabulary ? undefined : new Set(detector.labels);
  return runChecks([
    {
      name: 'specificationVersion is v1 with provider, modelId, labels and capabilities',
      run: () => {
        assert(
          detector.specificationVersion === 'v1',
          `specificationVersion must be 'v1', got ${detector.specificationVersion}`,
        );
        assert(
          typeof detector.provider === 'string' && detector.provider.length > 0,
          'provider must be a non-empty string',
        );
        assert(typeof detector.modelId === 'string', 'modelId must be a string');
        assert(
          Array.isArray(detector.labels) && detector.labels.every((l) => typeof l === 'string'),
          'labels must be an array of strings',
        );
        assert(
          detector.capabilities.openVocabulary || detector.labels.length > 0,
          'a closed-vocabulary detector must list its labels',
        );
        assert(
          Number.isInteger(detector.capabilities.maxBatchSize) && detector.capabilities.maxBatchSize >= 1,
          'capabilities.maxBatchSize must be an integer >= 1',
        );
      },
    },
    {
      name: 'boxes, labels, scores and order on non-square images',
      run: async () => {
        for (const image of images) {
          const r = await detector.doDetect(image, {});
          assert(Array.isArray(r.warnings), 'doDetect must return warnings: []');
          checkInstances(r.instances, image, labels, `${image.width}x${image.height}`);
        }
      },
    },
    {
      name: 'a uniform (empty) image gives a valid, possibly empty, result',
      run: async () => {
        const image = createUniformImage(97, 61);
        const r = await detector.doDetect(image, {});
        checkInstances(r.instances, image, labels, 'uniform 97x61');
      },
    },
    {
      name: 'scoreThreshold and maxDetections are honoured',
      run: async () => {
        const image = images[0]!;
        const r = await detector.doDetect(image, { scoreThreshold: 0.5, maxDetections: 2 });
        assert(r.instances.length <= 2, `maxDetections 2 returned ${r.instances.length} instances`);
        assert(
          r.instances.every((d) => d.score >= 0.5),
          'scoreThreshold 0.5 returned an instance scoring below it',
        );
      },
    },
    ...(options.skipDeterminism
      ? []
      : [
          {
            name: 'deterministic: the same image gives the same instances',
            run: async () => {
              for (const image of images) {
                const a = await detector.doDetect(image, {});
                const b = await detector.doDetect(image, {});
                assert(
                  JSON.stringify(a.instances) === JSON.stringify(b.instances),
                  'two runs on one image differ',
                );
              }
            },
          },
        ]),
    {
      name: 'an aborted signal rejects with HoiAbortError',
      run: () => expectAbort((signal) => detector.doDetect(images[0]!, { signal })),
    },
  ]);
}

export interface RecognizerConformanceOptions {
  /** Image to recognise in. Default: a synthetic 320x200 image. */
  image?: RgbImage;
  /** Instances (source pixels) in the image. Default: two persons, a bicycle and a cup on the synthetic image. */
  instances?: DetectedInstance[];
  /** Candidate table. Default: a few bicycle and cup phrases. */
  candidates?: InteractionCandidate[];
  /** Pairs into `instances` / `candidates`. Default: every person with every other instance, candidates by object label. */
  pairs?: InteractionPair[];
  skipDeterminism?: boolean;
}

/**
 * Checks that an interaction recognizer honours the v1 contract: one result per pair in order, one score
 * in [0, 1] per candidate, interactiveness when advertised, maxPairsPerCall respected by the caller, empty
 * input, plain data, determinism and abort.
 */
export async function checkRecognizerConformance(
  recognizer: InteractionRecognizer,
  options: RecognizerConformanceOptions = {},
): Promise<ConformanceReport> {
  const image = options.image ?? createSyntheticImage(320, 200);
  const instances: DetectedInstance[] = options.instances ?? [
    { box: [30, 40, 110, 180], label: 'person', score: 0.95 },
    { box: [150, 30, 200, 150], label: 'person', score: 0.7 },
    { box: [160, 110, 290, 160], label: 'bicycle', score: 0.9 },
    { box: [100, 90, 130, 120], label: 'cup', score: 0.6 },
  ];
  const candidates: InteractionCandidate[] = options.candidates ?? [
    { verb: 'ride', object: 'bicycle', phrase: 'riding a bicycle' },
    { verb: 'hold', object: 'bicycle', phrase: 'holding a bicycle' },
    { verb: 'drink_with', object: 'cup', phrase: 'drinking with a cup' },
    { verb: 'hold', object: 'cup', phrase: 'holding a cup' },
    { verb: 'hug', object: 'person', phrase: 'hugging a person' },
  ];
  const pairs: InteractionPair[] =
    options.pairs ??
    instances.flatMap((s, si) =>
      s.label !== 'person'
        ? []
        : instances.flatMap((o, oi) => {
            if (oi === si) return [];
            const c = candidates.flatMap((cand, ci) => (cand.object === o.label ? [ci] : []));
            return c.length ? [{ subject: si, object: oi, candidates: c }] : [];
          }),
    );
  const max = recognizer.capabilities?.maxPairsPerCall;
  const callPairs = max ? pairs.slice(0, max) : pairs;
  const call = (p: InteractionPair[], signal?: AbortSignal) =>
    recognizer.doRecognize({ image, instances, pairs: p, candidates, signal });
  return runChecks([
    {
      name: 'specificationVersion is v1 with provider, modelId and capabilities',
      run: () => {
        assert(
          recognizer.specificationVersion === 'v1',
          `specificationVersion must be 'v1', got ${recognizer.specificationVersion}`,
        );
        assert(
          typeof recognizer.provider === 'string' && recognizer.provider.length > 0,
          'provider must be a non-empty string',
        );
        assert(typeof recognizer.modelId === 'string', 'modelId must be a string');
        assert(
          typeof recognizer.capabilities?.interactiveness === 'boolean',
          'capabilities.interactiveness must be a boolean',
        );
        assert(
          max === undefined || (Number.isInteger(max) && max >= 1),
          'capabilities.maxPairsPerCall must be absent or an integer >= 1',
        );
      },
    },
    {
      name: 'one result per pair, one score in [0, 1] per candidate',
      run: async () => {
        const r = await call(callPairs);
        assert(Array.isArray(r.warnings), 'doRecognize must return warnings: []');
        assert(
          r.pairs.length === callPairs.length,
          `expected ${callPairs.length} pair results, got ${r.pairs.length}`,
        );
        r.pairs.forEach((s, i) => {
          assert(
            s.scores.length === callPairs[i]!.candidates.length,
            `pairs[${i}].scores has ${s.scores.length} entries, expected ${callPairs[i]!.candidates.length}`,
          );
          s.scores.forEach((v, k) => {
            assert(
              Number.isFinite(v) && v >= 0 && v <= 1,
              `pairs[${i}].scores[${k}] = ${v} is not in [0, 1]`,
            );
          });
          if (recognizer.capabilities.interactiveness) {
            const it = s.interactiveness;
            assert(
              it !== undefined && it >= 0 && it <= 1,
              `pairs[${i}].interactiveness must be in [0, 1] (capabilities.interactiveness is true)`,
            );
          }
        });
        JSON.stringify(r);
      },
    },
    {
      name: 'no pairs gives no results',
      run: async () => {
        const r = await call([]);
        assert(Array.isArray(r.pairs) && r.pairs.length === 0, 'an empty pair list must give pairs: []');
      },
    },
    {
      name: 'a pair result does not depend on the other pairs of the call',
      run: async () => {
        if (callPairs.length < 2) return;
        const all = await call(callPairs);
        const last = await call([callPairs[callPairs.length - 1]!]);
        const a = all.pairs[all.pairs.length - 1]!.scores;
        const b = last.pairs[0]!.scores;
        assert(
          a.every((v, i) => Math.abs(v - b[i]!) <= 1e-6),
          `scores of a pair changed with its batch: [${a}] vs [${b}]`,
        );
      },
    },
    ...(options.skipDeterminism
      ? []
      : [
          {
            name: 'deterministic: the same input gives identical scores',
            run: async () => {
              const a = await call(callPairs);
              const b = await call(callPairs);
              assert(
                JSON.stringify(a.pairs) === JSON.stringify(b.pairs),
                'two runs on the same input differ',
              );
            },
          },
        ]),
    {
      name: 'an aborted signal rejects with HoiAbortError',
      run: () => expectAbort((signal) => call(callPairs, signal)),
    },
  ]);
}

function throwReport(what: string, report: ConformanceReport): void {
  if (report.ok) return;
  const failed = report.checks.filter((c) => !c.ok).map((c) => `  - ${c.name}: ${c.message}`);
  throw new Error(`${what} does not conform to spec v1:\n${failed.join('\n')}`);
}

/** Runs {@link checkDetectorConformance} and throws one error listing every failed check. */
export async function assertDetectorConformance(
  detector: Detector,
  options?: DetectorConformanceOptions,
): Promise<void> {
  throwReport(`Detector ${detector.provider}`, await checkDetectorConformance(detector, options));
}

/** Runs {@link checkRecognizerConformance} and throws one error listing every failed check. */
export async function assertRecognizerConformance(
  recognizer: InteractionRecognizer,
  options?: RecognizerConformanceOptions,
): Promise<void> {
  throwReport(
    `InteractionRecognizer ${recognizer.provider}`,
    await checkRecognizerConformance(recognizer, options),
  );
}
