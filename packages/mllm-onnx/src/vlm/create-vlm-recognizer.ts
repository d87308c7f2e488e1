import {
  type DetectedInstance,
  type InteractionCandidate,
  type InteractionRecognizer,
  InvalidArgumentError,
  type PairScores,
  throwIfAborted,
} from '@hoi/core';
import type { ModelSourceOptions } from '../model-folder.js';
import type { OrtSessionOptions } from '../ort-session.js';
import { boxForModel } from './box-prompt.js';
import { type RowScore, type ScoreRow, SharedPrefixScorer } from './continuation-scorer.js';
import { type EncodedImage, type OnnxDtype, type VlmFamily, VlmModel } from './vlm-model.js';

/** What a question template sees for one pair. */
export interface QuestionContext {
  /** "x1,y1,x2,y2" in the model's coordinate convention. */
  personBox: string;
  objectBox: string;
  objectLabel: string;
  /** The candidate phrase (yes-no mode only). */
  phrase?: string;
}

export interface VlmRecognizerOptions extends OrtSessionOptions, ModelSourceOptions {
  /** A local folder or Hugging Face id of a Qwen-VL export in transformers.js layout. */
  model: string;
  /** Default: config.json `model_type`. */
  family?: VlmFamily;
  /** Weights variant (`onnx/<base><suffix>.onnx`). Default 'fp32'. */
  dtype?: OnnxDtype;
  /**
   * 'likelihood': p(candidate phrase | image, question) by teacher forcing (deterministic generation);
   * 'yes-no': P("Yes") to "Is the person {phrase}?". Default 'likelihood'.
   */
  mode?: 'likelihood' | 'yes-no';
  /** Likelihood mode: score = exp(mean token log-prob) instead of exp(sum). Default false. */
  lengthNormalize?: boolean;
  /** Yes-no mode: score = P(Yes) / (P(Yes) + P(No)) instead of raw P(Yes). Default true. */
  yesNoNormalize?: boolean;
  /** The user question. Defaults follow the method's wording (see README). */
  question?: (ctx: QuestionContext) => string;
  /** Likelihood mode: assistant text the candidate phrase continues. Default 'The person is'. */
  answerPrefix?: string;
  /** 'shared-prefix' (default) or 'naive' (every candidate run alone from scratch; reference and baseline). */
  scoring?: 'shared-prefix' | 'naive';
  /** Largest candidate batch per decoder call. Default 64. */
  maxBatch?: number;
  /** More model-relative files to fetch for a hub id (e.g. `onnx/decoder_model_merged.onnx_data`). */
  extraFiles?: string[];
}

const defaultQuestion = (mode: 'likelihood' | 'yes-no') => (c: QuestionContext) =>
  `The coordinates of the person are ${c.personBox}. The coordinates of the object are ${c.objectBox}. ` +
  (mode === 'likelihood'
    ? `What is the person doing with the ${c.objectLabel}?`
    : `Is the person ${c.phrase}? Answer Yes or No.`);

const PROVIDER = {
  qwen2_vl: 'qwen2-vl',
  qwen2_5_vl: 'qwen2.5-vl',
  qwen3_vl: 'qwen3-vl',
  idefics3: 'smolvlm',
} as const;

/** The VLM recognizer; `model` is exposed for tools and benchmarks. */
export interface VlmRecognizer extends InteractionRecognizer {
  readonly model: VlmModel;
}

/**
 * Training-free interaction recognition with a Qwen-VL model by deterministic generation: every candidate
 * phrase is scored by its teacher-forced likelihood (or by P("Yes")), never by sampling text. The image is
 * encoded once per call; its prompt prefix is run once and cached; per pair the question is run once and
 * all candidates are scored as one batch on that cached prefix.
 */
export async function createVlmRecognizer(options: VlmRecognizerOptions): Promise<VlmRecognizer> {
  const model = await VlmModel.load(options.model, options);
  const mode = options.mode ?? 'likelihood';
  const question = options.question ?? defaultQuestion(mode);
  const answerPrefix = options.answerPrefix ?? 'The person is';
  const maxBatch = options.maxBatch ?? 64;
  if (!Number.isInteger(maxBatch) || maxBatch < 1)
    throw new InvalidArgumentError('maxBatch', 'a positive integer', maxBatch);
  const padId = model.tokenizer.pad_token_id ?? 0;
  let yesNo: [number, number] | undefined;
  if (mode === 'yes-no') {
    const yes = model.singleTokenId('Yes');
    const no = model.singleTokenId('No');
    if (yes === undefined || no === undefined)
      throw new InvalidArgumentError(
        'mode',
        'a tokenizer where "Yes" and "No" are single tokens for yes-no mode',
        'yes-no',
      );
    yesNo = [yes, no];
  }

  function promptIds(userText: string, image: EncodedImage): number[] {
    const messages = [{ role: 'user', content: [{ type: 'image' }, { type: 'text', text: userText }] }];
    const rendered = model.tokenizer.apply_chat_template(messages as never, {
      tokenize: false,
      add_generation_prompt: true,
    }) as string;
    if (!rendered.includes(image.placeholder)) {
      throw new InvalidArgumentError(
        'model',
        `a chat template that emits ${image.placeholder} for an image part`,
        model.folder,
      );
    }
    return model.encode(rendered.replace(image.placeholder, image.expansion));
  }

  return {
    specificationVersion: 'v1',
    provider: PROVIDER[model.family],
    modelId: model.folder,
    capabilities: { interactiveness: false, openVocabulary: true },
    model,
    async doRecognize({ image, instances, pairs, candidates, signal }) {
      throwIfAborted(signal);
      if (pairs.length === 0) return { pairs: [], warnings: [...model.warnings] };
      const encoded = await model.encodeImage(image);
      throwIfAborted(signal);
      const scorer = new SharedPrefixScorer(model, encoded, { maxBatch, padId, signal });
      const size = { width: image.width, height: image.height };
      const out: PairScores[] = [];
      for (const [p, pair] of pairs.entries()) {
        throwIfAborted(signal);
        const human = instanceAt(instances, pair.subject, `pairs[${p}].subject`);
        const object = instanceAt(instances, pair.object, `pairs[${p}].object`);
        const cands = pair.candidates.map((c) => candidateAt(candidates, c, p));
        if (cands.length === 0) {
          out.push({ scores: [], logProbs: [] });
          continue;
        }
        const ctx = {
          personBox: boxForModel(model.family, human.box, size, encoded.resized),
          objectBox: boxForModel(model.family, object.box, size, encoded.resized),
          objectLabel: object.label,
        };
        let rows: ScoreRow[];
        if (mode === 'likelihood') {
          const prompt = [...promptIds(question(ctx), encoded), ...model.encode(answerPrefix)];
          rows = cands.map((c) => ({
            ids: [...prompt, ...model.encode(` ${c.phrase}`)],
            scoreFrom: prompt.length,
          }));
        } else {
          rows = cands.map((c) => {
            const ids = promptIds(question({ ...ctx, phrase: c.phrase }), encoded);
            return { ids, scoreFrom: ids.length, targets: yesNo };
          });
        }
        const scored: RowScore[] =
          options.scoring === 'naive' ? await scorer.scoreNaive(rows) : await scorer.score(rows);
        if (mode === 'likelihood') {
          out.push({
            scores: scored.map((s) =>
              Math.exp(options.lengthNormalize ? s.logProb / Math.max(1, s.tokens) : s.logProb),
            ),
            logProbs: scored.map((s) => s.logProb),
          });
        } else {
          out.push({
            scores: scored.map((s) => yesScore(s.targetLogProbs, options.yesNoNormalize ?? true)),
            logProbs: scored.map((s) => s.targetLogProbs[0]!),
          });
        }
      }
      return {
        pairs: out,
        warnings: [...model.warnings],
        providerMetadata: {
          [PROVIDER[model.family]]: {
            family: model.family,
            imageTokens: encoded.tokens,
            resized: encoded.resized,
            mode,
          },
        },
      };
    },
    async dispose() {
      await model.dispose();
    },
  };
}

function yesScore([yes, no]: number[], normalize: boolean): number {
  if (!normalize) return Math.exp(yes!);
  const m = Math.max(yes!, no!);
  return Math.exp(yes! - m) / (Math.exp(yes! - m) + Math.exp(no! - m));
}

function instanceAt(instances: readonly DetectedInstance[], i: number, arg: string): DetectedInstance {
  const inst = instances[i];
  if (!inst) throw new InvalidArgumentError(arg, `an index into instances (0..${instances.length - 1})`, i);
  return inst;
}

function candidateAt(
  candidates: readonly InteractionCandidate[],
  c: number,
  p: number,
): InteractionCandidate {
  const cand = candidates[c];
  if (!cand)
    throw new InvalidArgumentError(
      `pairs[${p}].candidates`,
      `indices into candidates (0..${candidates.length - 1})`,
      c,
    );
  return cand;
}
