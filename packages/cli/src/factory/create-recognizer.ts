import { InvalidArgumentError } from '@hoi/core';
import type { InteractionRecognizer } from '@hoi/core/spec';
import { parseModelSpec } from './parse-model-spec.js';

/** Recognizer kinds `--recognizer` accepts. */
export const RECOGNIZER_KINDS = [
  'prior',
  'clip',
  'siglip',
  'qwen2.5-vl',
  'qwen2-vl',
  'qwen3-vl',
  'smolvlm',
  'dm',
  'remote',
  'hf',
] as const;

/** `--recognizer` kind -> the @hoi/mllm-onnx VLM family it selects. */
const VLM_FAMILIES = {
  'qwen2.5-vl': 'qwen2_5_vl',
  'qwen2-vl': 'qwen2_vl',
  'qwen3-vl': 'qwen3_vl',
  smolvlm: 'idefics3',
} as const;

export interface RecognizerFlags {
  /**
   * `prior`, `clip:` / `siglip:` / `qwen2.5-vl:` / `qwen2-vl:` / `qwen3-vl:` / `smolvlm:` `PATH_OR_ID`, `dm:PATH_OR_ID`
   * (fine-tuned one-pass matching), `remote:URL`, `hf:MODEL`. Default: the embedded prior.
   */
  recognizer?: string;
  /** Model name for `remote:` servers. */
  model?: string;
  /** Scoring strategy: remote (choice-logprobs, sequence-likelihood, yes-no, text) or local VLM (likelihood, yes-no). */
  strategy?: string;
  /** `--no-pose`: layout prior only. */
  pose?: boolean;
  executionProviders?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Builds the recognizer a `--recognizer` flag names; adapters are imported lazily. */
export async function createRecognizerFromFlags(flags: RecognizerFlags): Promise<InteractionRecognizer> {
  const { kind, location } = parseModelSpec(flags.recognizer ?? 'prior', '--recognizer', RECOGNIZER_KINDS);
  const env = flags.env ?? process.env;
  const need = (what: string) => {
    if (!location) throw new InvalidArgumentError('--recognizer', `${kind}:${what}`, flags.recognizer);
    return location;
  };
  switch (kind) {
    case 'prior': {
      const { createPriorRecognizer } = await import('@hoi/recognizer-prior');
      return createPriorRecognizer({ pose: flags.pose ?? true });
    }
    case 'clip':
    case 'siglip': {
      const { createDualEncoderRecognizer } = await import('@hoi/mllm-onnx');
      return createDualEncoderRecognizer({
        model: need('PATH_OR_ID'),
        family: kind,
        executionProviders: flags.executionProviders,
      });
    }
    case 'qwen2.5-vl':
    case 'qwen2-vl':
    case 'qwen3-vl':
    case 'smolvlm': {
      const mode = flags.strategy ?? 'likelihood';
      if (mode !== 'likelihood' && mode !== 'yes-no') {
        throw new InvalidArgumentError('--strategy', 'likelihood or yes-no for a local VLM', flags.strategy);
      }
      const { createVlmRecognizer } = await import('@hoi/mllm-onnx');
      return createVlmRecognizer({
        model: need('PATH_OR_ID'),
        family: VLM_FAMILIES[kind],
        mode,
        executionProviders: flags.executionProviders,
      });
    }
    case 'dm': {
      const { createMatchingRecognizer } = await import('@hoi/mllm-onnx');
      return createMatchingRecognizer({
        model: need('PATH_OR_ID'),
        executionProviders: flags.executionProviders,
      });
    }
    case 'remote': {
      if (!flags.model)
        throw new InvalidArgumentError(
          '--model',
          'the model name the server serves (remote:URL --model NAME)',
          undefined,
        );
      const { createOpenAICompatibleRecognizer } = await import('@hoi/mllm-remote');
      return createOpenAICompatibleRecognizer({
        baseURL: need('URL'),
        model: flags.model,
        apiKey: env.HOI_API_KEY ?? env.OPENAI_API_KEY,
        ...(flags.strategy ? { strategy: flags.strategy as never } : {}),
      });
    }
    default: {
      const { createHuggingFaceRecognizer } = await import('@hoi/mllm-remote');
      return createHuggingFaceRecognizer({
        model: need('MODEL'),
        token: env.HF_TOKEN,
        ...(flags.strategy ? { strategy: flags.strategy as never } : {}),
      });
    }
  }
}
