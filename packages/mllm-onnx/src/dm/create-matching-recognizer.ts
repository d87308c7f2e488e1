import {
  type InteractionRecognizer,
  InvalidArgumentError,
  ModelLoadError,
  matchScores,
  type PairScores,
  poolPairFeatures,
  sigmoid,
  spatialEncodings36,
  throwIfAborted,
  UnexpectedModelOutputError,
} from '@hoi/core';
import type { ModelSourceOptions } from '../model-folder.js';
import { type OrtSessionOptions, openSession, ort, takeOutput } from '../ort-session.js';
import { boxForModel } from '../vlm/box-prompt.js';
import { mropePositionIds } from '../vlm/mrope.js';
import { type KvCache, type OnnxDtype, VlmModel } from '../vlm/vlm-model.js';
import { type DmManifest, readDmManifest } from './dm-manifest.js';

/** What the DM prompt template sees for one pair. */
export interface DmPromptContext {
  personBox: string;
  objectBox: string;
  /** Candidate phrases in the order they are listed. */
  phrases: string[];
}

export interface MatchingRecognizerOptions extends OrtSessionOptions, ModelSourceOptions {
  /** A local folder or Hugging Face id in the DM export layout (README). */
  model: string;
  dtype?: OnnxDtype;
  /** Overrides the manifest's interactiveness threshold (default 0.15). */
  interactivenessThreshold?: number;
  /** The user text; must contain one <|box_start|> and one <|box_end|> after each phrase. Default: the method's prompt. */
  prompt?: (ctx: DmPromptContext) => string;
  /** More model-relative files to fetch for a hub id (e.g. external weight data). */
  extraFiles?: string[];
}

/** The method's DM prompt (user turn; the image part precedes it). */
export function defaultDmPrompt(c: DmPromptContext): string {
  return (
    `The coordinates of the person are ${c.personBox}. The coordinates of the object are ${c.objectBox}. ` +
    'The features of the interaction are <|box_start|>. Select the correct interaction between the given person and object from the list: ' +
    `${c.phrases.map((p) => `${p}<|box_end|>`).join('')}.`
  );
}

/** The DM recognizer; `model` is exposed for tools and benchmarks. */
export interface MatchingRecognizer extends InteractionRecognizer {
  readonly model: VlmModel;
  readonly manifest: DmManifest;
}

/**
 * One-pass deterministic matching for fine-tuned checkpoints (method section 2b): the image is encoded
 * once; its token grid is pooled with RoI-Align in the human, object and union boxes (@hoi/core) and fed
 * with the 36-d spatial encoding and all image tokens to the SAP head, which gives the pair feature, its
 * embedding v and the interactiveness. Pairs with sigmoid(interactiveness) <= threshold stop there
 * (scores 0). Every other pair takes ONE decoder pass over its prompt - on top of the image prefix, run
 * once per image and cached - with the pair feature as the <|box_start|> input embedding and the learned
 * vector at every <|box_end|>. r = h[<|box_start|>], a_k = h[k-th <|box_end|>] from the last hidden
 * layer; s_llm = sigmoid(exp(scale) cos(r, a_k)), s_sap = sigmoid(exp(scale) cos(v, a_k)); score = mean.
 */
export async function createMatchingRecognizer(
  options: MatchingRecognizerOptions,
): Promise<MatchingRecognizer> {
  const model = await VlmModel.load(options.model, {
    ...options,
    extraFiles: ['hoi_dm.json', 'onnx/sap_head.onnx', 'box_end_embedding.bin', ...(options.extraFiles ?? [])],
  });
  if (model.family === 'idefics3') {
    throw new ModelLoadError(
      `${model.folder}/config.json`,
      'the DM layout is defined for Qwen-VL families (a token grid from the merger and <|box_start|>/<|box_end|> tokens)',
    );
  }
  const { manifest, boxEnd, sapHeadPath } = readDmManifest(model.folder, model.dims.hidden);
  if (!model.decoderOutputNames.includes('last_hidden_state')) {
    throw new ModelLoadError(
      `${model.folder}/onnx/decoder_model_merged.onnx`,
      'the DM layout needs a decoder that also outputs last_hidden_state [batch, sequence, hidden]',
    );
  }
  const sapHead = await openSession(sapHeadPath, options, model.warnings);
  const threshold = options.interactivenessThreshold ?? manifest.interactiveness_threshold ?? 0.15;
  const prompt = options.prompt ?? defaultDmPrompt;
  const H = model.dims.hidden;
  const pooling = {
    outputSize: manifest.pooling?.output_size,
    samplingRatio: manifest.pooling?.sampling_ratio,
    aligned: manifest.pooling?.aligned,
  };

  return {
    specificationVersion: 'v1',
    provider: 'hoi-dm',
    modelId: model.folder,
    capabilities: { interactiveness: true, openVocabulary: true },
    model,
    manifest,
    async doRecognize({ image, instances, pairs, candidates, signal }) {
      throwIfAborted(signal);
      if (pairs.length === 0) return { pairs: [], warnings: [...model.warnings] };
      for (const [p, pair] of pairs.entries()) {
        for (const c of pair.candidates)
          if (!candidates[c])
            throw new InvalidArgumentError(
              `pairs[${p}].candidates`,
              `indices into candidates (0..${candidates.length - 1})`,
              c,
            );
      }
      const encoded = await model.encodeImage(image);
      throwIfAborted(signal);
      const size = { width: image.width, height: image.height };
      const boxes = instances.map((i) => i.box);
      // The merged vision tokens are the token grid (row-major over the merged h x w cells of frame 0).
      const gridOf = encoded.grid ?? { t: 1, h: 1, w: encoded.tokens };
      const grid = {
        data: encoded.features.subarray(0, gridOf.h * gridOf.w * H),
        height: gridOf.h,
        width: gridOf.w,
        channels: H,
      };
      const pooled = poolPairFeatures(grid, size, boxes, pairs, pooling);
      const P = pairs.length;
      const head = await sapHead.run({
        human_features: new ort.Tensor('float32', pooled.human, [P, H]),
        object_features: new ort.Tensor('float32', pooled.object, [P, H]),
        union_features: new ort.Tensor('float32', pooled.union, [P, H]),
        spatial_encoding: new ort.Tensor('float32', spatialEncodings36(boxes, pairs, size), [P, 36]),
        image_tokens: new ort.Tensor('float32', encoded.features, [encoded.tokens, H]),
      });
      const pairFeature = takeOutput(head, 'pair_feature', `[pairs, ${H}]`, 'sap_head.onnx')
        .data as Float32Array;
      const pairEmbedding = takeOutput(head, 'pair_embedding', `[pairs, ${H}]`, 'sap_head.onnx')
        .data as Float32Array;
      const interLogits = takeOutput(head, 'interactiveness_logit', '[pairs]', 'sap_head.onnx')
        .data as Float32Array;
      let imageState: { ids: number[]; cache: KvCache; next: number } | undefined;
      let decoderPasses = 0;
      const sLlmAll: (number[] | null)[] = [];
      const sSapAll: (number[] | null)[] = [];
      const out: PairScores[] = [];
      for (const [p, pair] of pairs.entries()) {
        throwIfAborted(signal);
        const interactiveness = sigmoid(interLogits[p]!);
        const M = pair.candidates.length;
        if (interactiveness <= threshold || M === 0) {
          out.push({ scores: new Array(M).fill(0), interactiveness });
          sLlmAll.push(null);
          sSapAll.push(null);
          continue;
        }
        const text = prompt({
          personBox: boxForModel(model.family, instances[pair.subject]!.box, size, encoded.resized),
          objectBox: boxForModel(model.family, instances[pair.object]!.box, size, encoded.resized),
          phrases: pair.candidates.map((c) => candidates[c]!.phrase),
        });
        const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text }] }];
        const rendered = model.tokenizer.apply_chat_template(messages as never, {
          tokenize: false,
          add_generation_prompt: true,
        }) as string;
        const ids = model.encode(rendered.replace(encoded.placeholder, encoded.expansion));
        const imageEnd = model.imagePrefixEnd(ids);
        if (imageEnd <= 0)
          throw new InvalidArgumentError(
            'model',
            'a chat template that emits <|vision_start|><|image_pad|><|vision_end|>',
            model.folder,
          );
        const imageIds = ids.slice(0, imageEnd);
        if (
          !imageState ||
          imageState.ids.length !== imageIds.length ||
          imageState.ids.some((v, i) => v !== imageIds[i])
        ) {
          const { positions, next } = mropePositionIds(imageIds, model.ids.image, encoded.grid, 0);
          const S = imageIds.length;
          const pos = BigInt64Array.from(positions.flat(), BigInt);
          const r = await model.decode(
            await model.embedRows([imageIds], encoded),
            1,
            S,
            new BigInt64Array(S).fill(1n),
            pos,
            model.emptyCache(1),
            1,
          );
          imageState = { ids: imageIds, cache: r.cache, next };
          decoderPasses += 1;
        }
        const fresh = ids.slice(imageEnd);
        const S = fresh.length;
        const embeds = await model.embedRows([fresh]);
        const boxStartAt: number[] = [];
        const boxEndAt: number[] = [];
        for (let s = 0; s < S; s++) {
          if (fresh[s] === manifest.box_start_token_id) {
            embeds.set(pairFeature.subarray(p * H, (p + 1) * H), s * H);
            boxStartAt.push(s);
          } else if (fresh[s] === manifest.box_end_token_id) {
            embeds.set(boxEnd, s * H);
            boxEndAt.push(s);
          }
        }
        if (boxStartAt.length !== 1 || boxEndAt.length !== M) {
          throw new UnexpectedModelOutputError(
            'input_ids',
            `one <|box_start|> and ${M} <|box_end|> tokens`,
            `${boxStartAt.length} and ${boxEndAt.length}`,
            'check the prompt template and the manifest token ids',
          );
        }
        const pos = new BigInt64Array(3 * S);
        for (let a = 0; a < 3; a++) for (let s = 0; s < S; s++) pos[a * S + s] = BigInt(imageState.next + s);
        const mask = new BigInt64Array(imageState.ids.length + S).fill(1n);
        const res = await model.decode(embeds, 1, S, mask, pos, imageState.cache, 1);
        decoderPasses += 1;
        if (!res.hiddenStates)
          throw new UnexpectedModelOutputError(
            'last_hidden_state',
            '[1, S, hidden]',
            'missing',
            'export the decoder with last_hidden_state',
          );
        const r = res.hiddenStates.slice(boxStartAt[0]! * H, (boxStartAt[0]! + 1) * H);
        const a = new Float32Array(M * H);
        for (const [k, s] of boxEndAt.entries()) a.set(res.hiddenStates.subarray(s * H, (s + 1) * H), k * H);
        const opts = { pairs: 1, candidates: M, dim: H, logitScale: manifest.logit_scale };
        const sLlm = Array.from(matchScores(r, a, opts));
        const sSap = Array.from(matchScores(pairEmbedding.slice(p * H, (p + 1) * H), a, opts));
        out.push({ scores: sLlm.map((s, k) => (s + sSap[k]!) / 2), interactiveness });
        sLlmAll.push(sLlm);
        sSapAll.push(sSap);
      }
      return {
        pairs: out,
        warnings: [...model.warnings],
        providerMetadata: { 'hoi-dm': { decoderPasses, sLlm: sLlmAll, sSap: sSapAll, threshold } },
      };
    },
    async dispose() {
      await Promise.all([model.dispose(), sapHead.release()]);
    },
  };
}
