import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ModelLoadError, UnexpectedModelOutputError } from '@hoi/core';
import type { BoxXyxy, RgbImage } from '@hoi/core/spec';
import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import { ensureTfBackend, type TfBackendInfo } from './tf-runtime.js';

/** MoveNet's 17 keypoints, in output order (COCO keypoint order). */
export const MOVENET_KEYPOINTS = [
  'nose',
  'left_eye',
  'right_eye',
  'left_ear',
  'right_ear',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
] as const;

/** One keypoint name. */
export type KeypointName = (typeof MOVENET_KEYPOINTS)[number];

/** One keypoint in source-image pixels with MoveNet's confidence in [0, 1]. */
export interface Keypoint {
  x: number;
  y: number;
  score: number;
}

/** The 17 keypoints of one person, in {@link MOVENET_KEYPOINTS} order, source pixels. */
export type PersonPose = Keypoint[];

/** The model's input side: MoveNet single-pose lightning takes int32 [1, 192, 192, 3] RGB 0-255. */
export const MOVENET_INPUT_SIZE = 192;

/**
 * The margin added around a person box before cropping, as a fraction of the box's longer side on each
 * side: MoveNet was trained on person-centred crops with some context, and detector boxes often clip
 * hands and feet.
 */
export const POSE_CROP_MARGIN = 0.15;

/** Default location of the MoveNet-lightning files shipped by @vladmandic/human (3.3.6). */
export function defaultMoveNetPath(): string {
  const require = createRequire(import.meta.url);
  // The package exports no package.json; its node entry lives in dist/, the models beside dist/.
  return join(dirname(require.resolve('@vladmandic/human')), '..', 'models', 'movenet-lightning.json');
}

/**
 * The square crop, in source pixels, that MoveNet sees for one person box: the box grown by
 * {@link POSE_CROP_MARGIN} and squared around its centre (aspect kept, so the person is not squashed).
 * It may extend past the image; tf.image.cropAndResize fills the outside with black.
 */
export function poseCropBox(box: readonly number[]): BoxXyxy {
  const cx = (box[0]! + box[2]!) / 2;
  const cy = (box[1]! + box[3]!) / 2;
  const side = Math.max(box[2]! - box[0]!, box[3]! - box[1]!, 1) * (1 + 2 * POSE_CROP_MARGIN);
  return [cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2];
}

/**
 * MoveNet single-pose lightning (Google, Apache-2.0; the TF.js graph model shipped in
 * @vladmandic/human's models/ folder) run on person crops. Expected layout, checked at load and at run:
 * input int32 [1,192,192,3] RGB 0-255; output [1,1,17,3] as (y, x, score) normalized to the crop.
 */
export class MoveNetPoseEstimator {
  private constructor(
    private readonly model: GraphModel,
    /** The backend the model runs on and a fallback warning, if any. */
    readonly backend: TfBackendInfo,
    /** The model.json path. */
    readonly path: string,
  ) {}

  /** Loads the graph model from disk (tf.io.fromMemory: no fetch, no network). */
  static async load(path: string = defaultMoveNetPath()): Promise<MoveNetPoseEstimator> {
    let json: {
      modelTopology?: unknown;
      weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    };
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ModelLoadError(
        path,
        `cannot read the MoveNet model.json (${(error as Error).message}); set options.poseModelPath or pose: false`,
      );
    }
    if (!json?.modelTopology || !Array.isArray(json.weightsManifest) || json.weightsManifest.length === 0) {
      throw new ModelLoadError(path, 'not a TF.js graph model (modelTopology and weightsManifest expected)');
    }
    const weightSpecs = json.weightsManifest.flatMap((m) => m.weights);
    let weightData: ArrayBuffer;
    try {
      const parts = json.weightsManifest
        .flatMap((m) => m.paths)
        .map((p) => readFileSync(join(dirname(path), p)));
      const total = parts.reduce((s, p) => s + p.byteLength, 0);
      const all = new Uint8Array(total);
      let offset = 0;
      for (const p of parts) {
        all.set(p, offset);
        offset += p.byteLength;
      }
      weightData = all.buffer;
    } catch (error) {
      throw new ModelLoadError(path, `cannot read the MoveNet weight file (${(error as Error).message})`);
    }
    const backend = await ensureTfBackend();
    let model: GraphModel;
    try {
      model = await loadGraphModel(
        tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs, weightData }),
      );
    } catch (error) {
      throw new ModelLoadError(path, `TF.js could not build the graph (${(error as Error).message})`);
    }
    const input = model.inputs[0];
    if (
      model.inputs.length !== 1 ||
      input?.dtype !== 'int32' ||
      JSON.stringify(input.shape) !== JSON.stringify([1, MOVENET_INPUT_SIZE, MOVENET_INPUT_SIZE, 3])
    ) {
      model.dispose();
      throw new ModelLoadError(
        path,
        `expected MoveNet single-pose lightning with one int32 [1,192,192,3] input, got ${JSON.stringify(model.inputs.map((i) => [i.name, i.dtype, i.shape]))}`,
      );
    }
    return new MoveNetPoseEstimator(model, backend, path);
  }

  /**
   * Poses of the given person boxes, one MoveNet run per box; keypoints in source pixels.
   * @param boxes person boxes x1,y1,x2,y2 in source pixels
   */
  async estimate(image: RgbImage, boxes: readonly (readonly number[])[]): Promise<PersonPose[]> {
    if (boxes.length === 0) return [];
    const crops = boxes.map(poseCropBox);
    const { width: W, height: H } = image;
    // Normalized [y1, x1, y2, x2] as cropAndResize wants (pixel centres: coordinate / (size - 1)).
    const nb = crops.flatMap((c) => [
      c[1] / Math.max(H - 1, 1),
      c[0] / Math.max(W - 1, 1),
      c[3] / Math.max(H - 1, 1),
      c[2] / Math.max(W - 1, 1),
    ]);
    const batch = tf.tidy(() => {
      const img = tf.cast(tf.tensor4d(image.data, [1, H, W, 3], 'int32'), 'float32') as tf.Tensor4D;
      const resized = tf.image.cropAndResize(
        img,
        tf.tensor2d(nb, [crops.length, 4]),
        tf.zeros([crops.length], 'int32') as tf.Tensor1D,
        [MOVENET_INPUT_SIZE, MOVENET_INPUT_SIZE],
        'bilinear',
        0,
      );
      return tf.cast(tf.round(resized), 'int32');
    });
    const poses: PersonPose[] = [];
    try {
      for (let i = 0; i < crops.length; i++) {
        const input = tf.slice(batch, [i, 0, 0, 0], [1, MOVENET_INPUT_SIZE, MOVENET_INPUT_SIZE, 3]);
        const out = this.model.execute(input) as tf.Tensor;
        input.dispose();
        const shape = out.shape;
        const values = await out.data();
        out.dispose();
        if (shape.length !== 4 || shape[2] !== 17 || shape[3] !== 3 || values.length !== 51) {
          throw new UnexpectedModelOutputError(
            'Identity',
            '[1,1,17,3]',
            JSON.stringify(shape),
            'the MoveNet file is not single-pose lightning',
          );
        }
        const c = crops[i]!;
        const side = c[2] - c[0];
        const pose: PersonPose = [];
        for (let k = 0; k < 17; k++) {
          pose.push({
            x: c[0] + values[k * 3 + 1]! * side,
            y: c[1] + values[k * 3]! * side,
            score: values[k * 3 + 2]!,
          });
        }
        poses.push(pose);
      }
    } finally {
      batch.dispose();
    }
    return poses;
  }

  /** Frees the model's tensors. */
  dispose(): void {
    this.model.dispose();
  }
}
