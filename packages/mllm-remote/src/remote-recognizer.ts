import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import {
  AbortError,
  type ApiCallError,
  InvalidArgumentError,
  OutputParseError,
  resolveCacheDir,
  throwIfAborted,
  unionBox,
} from '@hoi/core';
import type {
  BoxXyxy,
  InteractionCandidate,
  InteractionPair,
  InteractionRecognizerV1,
  PairScores,
  RecognizeOptions,
  RecognizeResult,
  RgbImage,
  SpecWarning,
} from '@hoi/core/spec';
import { ResponseCache } from './cache/response-cache.js';
import { type EncodedImage, encodeImage, hashRgbImage } from './image/encode-image.js';
import { describeCoordinateFormat, formatBoxCoordinates } from './prompt/box-coordinates.js';
import {
  choicePrompt,
  multiSelectPrompt,
  type PairDescription,
  PROMPT_VERSION,
  phraseQuestionPrompt,
  yesNoPrompt,
} from './prompt/build-prompt.js';
import { choiceLabels, MAX_LABELS } from './prompt/choice-labels.js';
import { ConcurrencyLimiter } from './reliability/concurrency-limiter.js';
import { redactSecrets } from './reliability/redact.js';
import { withRetries } from './reliability/retry.js';
import type { RemoteRecognizerCommonOptions, RemoteScoringStrategy } from './remote-recognizer-options.js';
import {
  type ChunkLabelLogprobs,
  mergeChoiceChunks,
  readLabelLogprobs,
  yesProbability,
} from './scoring/choice-scores.js';
import { parseChosenLabels } from './scoring/parse-chosen-labels.js';
import { phraseLogprobFromPrefill, phraseLogprobFromPromptLogprobs } from './scoring/sequence-logprob.js';
import { networkError } from './transport/api-call-error.js';
import type { ChatCompletionBody, ChatMessage, ChatTransport } from './transport/chat-types.js';
import {
  type ParsedChatResponse,
  parseChatResponse,
  parseTgiGenerateResponse,
} from './transport/parse-chat-response.js';
import { chatmlPrompt, type TgiGenerateBody } from './transport/tgi-generate.js';

/** The `provider` name of every remote recognizer; keys `providerOptions` and `providerMetadata`. */
export const REMOTE_PROVIDER = 'remote';

const STRATEGIES: readonly RemoteScoringStrategy[] = [
  'auto',
  'choice-logprobs',
  'sequence-likelihood',
  'yes-no',
  'text',
];

/** Usage of one `doRecognize` call, reported in `providerMetadata.remote`. */
export interface RemoteUsage {
  /** HTTP requests sent, retries included. */
  requests: number;
  retries: number;
  /** Requests answered from the disk cache (nothing sent). */
  cacheHits: number;
  promptTokens: number;
  completionTokens: number;
}

/** Per-call settings in `providerOptions.remote`. */
export interface RemoteProviderOptions {
  strategy?: RemoteScoringStrategy;
}

/**
 * Builds an interaction recognizer on any chat-completion transport. The factories
 * `createOpenAICompatibleRecognizer` and `createHuggingFaceRecognizer` (and `createRemoteRecognizer`) pick
 * the transport; this is the seam for a custom one.
 */
export function createRecognizerOnTransport(
  transport: ChatTransport & { secrets?: readonly string[] },
  options: RemoteRecognizerCommonOptions,
): InteractionRecognizerV1 {
  const settings = resolveSettings(options);
  if (settings.sequenceLikelihoodApi === 'tgi-generate' && !transport.generate) {
    throw new InvalidArgumentError(
      'sequenceLikelihoodApi',
      `"vllm-chat" for ${transport.api} without an endpoint URL ("tgi-generate" needs a TGI server URL)`,
      'tgi-generate',
    );
  }
  const limiter = new ConcurrencyLimiter(settings.concurrency);
  const cache = settings.cacheDir ? new ResponseCache(settings.cacheDir) : undefined;
  const secrets = transport.secrets ?? [];
  // Learned once per instance: a server that sent no logprobs will not start sending them.
  let logprobsUnavailable = false;

  async function doRecognize(call: RecognizeOptions): Promise<RecognizeResult> {
    throwIfAborted(call.signal);
    validate(call);
    const remoteOptions = (call.providerOptions?.[REMOTE_PROVIDER] ?? {}) as RemoteProviderOptions;
    const requested = remoteOptions.strategy ?? settings.strategy;
    if (!STRATEGIES.includes(requested)) {
      throw new InvalidArgumentError(
        `providerOptions.${REMOTE_PROVIDER}.strategy`,
        `one of ${STRATEGIES.join(', ')}`,
        requested,
      );
    }
    const usage: RemoteUsage = {
      requests: 0,
      retries: 0,
      cacheHits: 0,
      promptTokens: 0,
      completionTokens: 0,
    };
    const warnings: SpecWarning[] = [];
    const warnOnce = (message: string) => {
      if (!warnings.some((w) => w.message === message)) warnings.push({ type: 'degraded', message });
    };
    // Any failure cancels the sibling requests of this call; the caller's signal cancels everything.
    const internal = new AbortController();
    const signal = call.signal ? AbortSignal.any([call.signal, internal.signal]) : internal.signal;
    // Every queued request and retry wait listens to this signal; hundreds of pairs is normal, not a leak.
    setMaxListeners(0, signal);
    const strategiesUsed = new Set<string>();

    if (call.pairs.length === 0) {
      return {
        pairs: [],
        warnings,
        providerMetadata: { [REMOTE_PROVIDER]: { ...usage, model: settings.model, strategies: [] } },
      };
    }

    const imageHash = hashRgbImage(call.image);
    const v = settings.visual;
    const perPairImage = v.drawBoxes || v.cropToUnion;
    // One encoding per call for the plain image, shared by every pair and chunk.
    let shared: Promise<EncodedImage> | undefined;
    const encodeFor = (subject: BoxXyxy, object: BoxXyxy): Promise<EncodedImage> => {
      if (!perPairImage) {
        shared ??= encodeImage(call.image, {
          maxSide: settings.maxImageSide,
          jpegQuality: settings.jpegQuality,
        });
        return shared;
      }
      return encodeImage(call.image, {
        maxSide: settings.maxImageSide,
        jpegQuality: settings.jpegQuality,
        region: v.cropToUnion ? cropRegion(subject, object, v.cropMargin, call.image) : undefined,
        boxes: v.drawBoxes
          ? [
              { box: subject, color: v.subjectColor },
              { box: object, color: v.objectColor },
            ]
          : undefined,
      });
    };

    function send(body: ChatCompletionBody, imageKey: string, strategy: string): Promise<ParsedChatResponse> {
      return sendRequest(
        {
          promptVersion: PROMPT_VERSION,
          strategy,
          image: imageKey,
          body: { ...body, messages: body.messages.map((m) => withoutImage(m)) },
        },
        async (s) => parseChatResponse(await transport.complete(body, s)),
      );
    }

    function sendGenerate(
      body: TgiGenerateBody,
      imageUrl: string,
      imageKey: string,
    ): Promise<ParsedChatResponse> {
      const generate = transport.generate!;
      return sendRequest(
        {
          promptVersion: PROMPT_VERSION,
          strategy: 'sequence-likelihood/tgi',
          image: imageKey,
          body: { ...body, inputs: body.inputs.split(imageUrl).join('image') },
        },
        async (s) => parseTgiGenerateResponse(await generate(body, s)),
      );
    }

    /** Cache lookup, then the request under the concurrency limit, with retries and a per-attempt timeout. */
    async function sendRequest(
      keyParts: unknown,
      attempt: (signal: AbortSignal) => Promise<ParsedChatResponse>,
    ): Promise<ParsedChatResponse> {
      const key = cache ? ResponseCache.key(keyParts) : undefined;
      if (cache && key) {
        const hit = await cache.get<ParsedChatResponse>(key);
        if (hit) {
          usage.cacheHits++;
          return hit;
        }
      }
      const parsed = await withRetries(
        () =>
          limiter.run(async () => {
            usage.requests++;
            const timeout = AbortSignal.timeout(settings.timeoutMs);
            const attemptSignal = AbortSignal.any([signal, timeout]);
            try {
              return await attempt(attemptSignal);
            } catch (error) {
              if (signal.aborted) throw new AbortError(call.signal?.reason ?? signal.reason);
              if (timeout.aborted) {
                throw networkError({
                  url: transport.url,
                  reason: `no answer within ${settings.timeoutMs} ms (timeoutMs)`,
                  secrets,
                });
              }
              throw error;
            }
          }, signal),
        {
          ...settings.retry,
          signal,
          onRetry: (error: ApiCallError, delayMs: number) => {
            usage.retries++;
            settings.logger?.({
              type: 'retry',
              status: error.status,
              delayMs,
              message: redactSecrets(
                `Retrying in ${Math.round(delayMs)} ms after: ${error.message}`,
                secrets,
              ),
            });
          },
        },
      );
      usage.promptTokens += parsed.promptTokens;
      usage.completionTokens += parsed.completionTokens;
      if (cache && key) {
        // A cache that cannot be written (read-only or full disk) must not lose a paid-for answer.
        await cache.set(key, parsed).catch((error: unknown) => {
          warnOnce(
            `Could not write the response cache in ${cache.dir} (${error instanceof Error ? error.message : String(error)}); set cacheDir to a writable folder or false.`,
          );
        });
      }
      return parsed;
    }

    const baseBody = (messages: ChatMessage[], extra: Partial<ChatCompletionBody>): ChatCompletionBody => ({
      model: settings.model,
      messages,
      temperature: 0,
      seed: settings.seed,
      max_tokens: 1,
      ...extra,
    });
    const userTurn = (imageUrl: string, text: string): ChatMessage => ({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: imageUrl } },
        { type: 'text', text },
      ],
    });

    async function scorePair(pair: InteractionPair): Promise<PairScores> {
      const subject = call.instances[pair.subject]!;
      const object = call.instances[pair.object]!;
      const candidates = pair.candidates.map((i) => call.candidates[i]!);
      if (candidates.length === 0) return { scores: [], logProbs: [] };
      const encoded = await encodeFor(subject.box, object.box);
      const imageKey = ResponseCache.key({
        imageHash,
        maxSide: settings.maxImageSide,
        quality: settings.jpegQuality,
        region: encoded.region,
        drawn: v.drawBoxes ? [subject.box, object.box, v.subjectColor, v.objectColor] : null,
      });
      const description = describe(subject.box, object.box, object.label, encoded);
      const strategy: RemoteScoringStrategy =
        requested === 'auto' || requested === 'choice-logprobs'
          ? logprobsUnavailable
            ? 'text'
            : 'choice-logprobs'
          : requested;
      if (strategy !== requested && requested !== 'auto') {
        warnOnce(
          `Strategy "${requested}" needs logprobs, which this server does not return; used "text" instead.`,
        );
      }
      switch (strategy) {
        case 'choice-logprobs': {
          const result = await scoreChoice(description, candidates, encoded, imageKey);
          if (result) {
            strategiesUsed.add('choice-logprobs');
            return result;
          }
          logprobsUnavailable = true;
          const message =
            'The server returned no logprobs; fell back to the "text" strategy (scores 0 or 1, uncalibrated).';
          settings.logger?.({ type: 'fallback', message });
          warnOnce(message);
          return scoreText(description, candidates, encoded, imageKey);
        }
        case 'text':
          return scoreText(description, candidates, encoded, imageKey);
        case 'yes-no':
          strategiesUsed.add('yes-no');
          return scoreYesNo(description, candidates, encoded, imageKey);
        case 'sequence-likelihood':
          strategiesUsed.add('sequence-likelihood');
          return scoreSequences(description, candidates, encoded, imageKey);
      }
    }

    function describe(
      subjectBox: BoxXyxy,
      objectBox: BoxXyxy,
      objectLabel: string,
      encoded: EncodedImage,
    ): PairDescription {
      const r = encoded.region;
      const shift = (b: BoxXyxy): BoxXyxy => [b[0] - r.x, b[1] - r.y, b[2] - r.x, b[3] - r.y];
      const fmt = (b: BoxXyxy) => formatBoxCoordinates(shift(b), v.coordinates, r, encoded, v.qwenResize);
      const d: PairDescription = { objectLabel };
      const sc = fmt(subjectBox);
      const oc = fmt(objectBox);
      if (sc && oc) {
        d.subjectCoordinates = sc;
        d.objectCoordinates = oc;
        d.coordinateNote = describeCoordinateFormat(v.coordinates);
      }
      if (v.drawBoxes) d.drawn = { subjectColor: v.subjectColor, objectColor: v.objectColor };
      if (v.cropToUnion) d.cropped = true;
      return d;
    }

    /** Undefined when the server sent no logprobs at all (the caller falls back to text). */
    async function scoreChoice(
      description: PairDescription,
      candidates: InteractionCandidate[],
      encoded: EncodedImage,
      imageKey: string,
    ): Promise<PairScores | undefined> {
      const chunks = chunk(candidates, settings.maxChoicesPerRequest);
      const read = await Promise.all(
        chunks.map(async (part): Promise<ChunkLabelLogprobs | undefined> => {
          const labels = choiceLabels(part.length + 1, settings.labelStyle);
          const none = labels[part.length]!;
          const options = [
            ...part.map((c, i) => ({ label: labels[i]!, phrase: c.phrase })),
            { label: none, phrase: 'none of these' },
          ];
          const text = choicePrompt(description, options, settings.labelStyle);
          const body = baseBody([userTurn(encoded.dataUrl, text)], {
            logprobs: true,
            top_logprobs: settings.topLogprobs,
          });
          const response = await send(body, imageKey, 'choice-logprobs');
          if (!response.firstTokenTopLogprobs) return undefined;
          const lp = readLabelLogprobs(response.firstTokenTopLogprobs, labels.slice(0, part.length), none);
          if (!lp) {
            throw new OutputParseError(
              response.text,
              `an answer whose first token is one of the labels ${labels.join(', ')} (no label among top_logprobs; try another labelStyle or visual prompt)`,
            );
          }
          return lp;
        }),
      );
      if (read.some((r) => r === undefined)) return undefined;
      const merged = mergeChoiceChunks(read as ChunkLabelLogprobs[]);
      return { scores: merged.scores, logProbs: merged.logProbs, interactiveness: merged.interactiveness };
    }

    async function scoreText(
      description: PairDescription,
      candidates: InteractionCandidate[],
      encoded: EncodedImage,
      imageKey: string,
    ): Promise<PairScores> {
      strategiesUsed.add('text');
      warnOnce(
        'Strategy "text": scores are 0 or 1 read from free text; they are uncalibrated and rank poorly.',
      );
      const chunks = chunk(candidates, settings.maxChoicesPerRequest);
      const parts = await Promise.all(
        chunks.map(async (part) => {
          const labels = choiceLabels(part.length, settings.labelStyle);
          const text = multiSelectPrompt(
            description,
            part.map((c, i) => ({ label: labels[i]!, phrase: c.phrase })),
            settings.labelStyle,
          );
          const body = baseBody([userTurn(encoded.dataUrl, text)], { max_tokens: settings.maxAnswerTokens });
          const response = await send(body, imageKey, 'text');
          const { chosen, parsed } = parseChosenLabels(response.text, labels);
          if (!parsed) {
            warnOnce(
              `Could not read a JSON list of labels from the answer ${JSON.stringify(response.text.slice(0, 80))}; scored 0.`,
            );
          }
          return labels.map((l) => (chosen.has(l) ? 1 : 0));
        }),
      );
      return { scores: parts.flat() };
    }

    async function scoreYesNo(
      description: PairDescription,
      candidates: InteractionCandidate[],
      encoded: EncodedImage,
      imageKey: string,
    ): Promise<PairScores> {
      const results = await Promise.all(
        candidates.map(async (c) => {
          const body = baseBody([userTurn(encoded.dataUrl, yesNoPrompt(description, c.phrase))], {
            logprobs: true,
            top_logprobs: settings.topLogprobs,
          });
          const response = await send(body, imageKey, 'yes-no');
          const p = response.firstTokenTopLogprobs
            ? yesProbability(response.firstTokenTopLogprobs)
            : undefined;
          if (p !== undefined) return p;
          warnOnce(
            'Strategy "yes-no": some answers had no yes/no logprobs; those were read from the text as 0 or 1 (uncalibrated).',
          );
          const word = response.text.trim().toLowerCase();
          if (word.startsWith('yes')) return 1;
          if (word.startsWith('no')) return 0;
          throw new OutputParseError(response.text, 'an answer starting with yes or no');
        }),
      );
      return { scores: results, logProbs: results.map((p) => Math.log(p)) };
    }

    async function scoreSequences(
      description: PairDescription,
      candidates: InteractionCandidate[],
      encoded: EncodedImage,
      imageKey: string,
    ): Promise<PairScores> {
      const question = phraseQuestionPrompt(description);
      const logProbs = await Promise.all(
        candidates.map(async (c) => {
          if (settings.sequenceLikelihoodApi === 'tgi-generate') {
            const body: TgiGenerateBody = {
              inputs: settings.tgiPromptTemplate({ imageUrl: encoded.dataUrl, question, answer: c.phrase }),
              parameters: {
                max_new_tokens: 1,
                details: true,
                decoder_input_details: true,
                do_sample: false,
                seed: settings.seed,
              },
            };
            const response = await sendGenerate(body, encoded.dataUrl, imageKey);
            if (!response.prefill) {
              throw new OutputParseError(
                response.text,
                'a TGI /generate answer with details.prefill (is the server TGI, and does it allow decoder_input_details?)',
              );
            }
            return phraseLogprobFromPrefill(response.prefill, c.phrase).logProb;
          }
          const body = baseBody(
            [userTurn(encoded.dataUrl, question), { role: 'assistant', content: c.phrase }],
            { prompt_logprobs: 0, add_generation_prompt: false, continue_final_message: true },
          );
          const response = await send(body, imageKey, 'sequence-likelihood');
          if (!response.promptLogprobs) {
            throw new OutputParseError(
              response.text,
              'a response with prompt_logprobs (strategy "sequence-likelihood" needs vLLM; use "choice-logprobs" elsewhere)',
            );
          }
          return phraseLogprobFromPromptLogprobs(response.promptLogprobs, c.phrase).logProb;
        }),
      );
      return { scores: logProbs.map((lp) => Math.exp(lp)), logProbs };
    }

    try {
      const pairs = await Promise.all(call.pairs.map((p) => scorePair(p)));
      return {
        pairs,
        warnings,
        providerMetadata: {
          [REMOTE_PROVIDER]: { ...usage, model: settings.model, strategies: [...strategiesUsed].sort() },
        },
      };
    } catch (error) {
      internal.abort();
      if (call.signal?.aborted) throw new AbortError(call.signal.reason);
      throw error;
    }
  }

  return {
    specificationVersion: 'v1',
    provider: REMOTE_PROVIDER,
    modelId: settings.model,
    capabilities: { interactiveness: false, openVocabulary: true },
    doRecognize,
  };
}

function resolveSettings(o: RemoteRecognizerCommonOptions) {
  if (typeof o.model !== 'string' || o.model.length === 0)
    throw new InvalidArgumentError('model', 'a model name', o.model);
  if (o.strategy !== undefined && !STRATEGIES.includes(o.strategy)) {
    throw new InvalidArgumentError('strategy', `one of ${STRATEGIES.join(', ')}`, o.strategy);
  }
  const labelStyle = o.labelStyle ?? 'letters';
  const topLogprobs = o.topLogprobs ?? 20;
  if (!Number.isInteger(topLogprobs) || topLogprobs < 2)
    throw new InvalidArgumentError('topLogprobs', 'an integer >= 2', topLogprobs);
  const maxChoicesPerRequest =
    o.maxChoicesPerRequest ?? Math.min(15, topLogprobs - 1, MAX_LABELS[labelStyle] - 1);
  if (
    !Number.isInteger(maxChoicesPerRequest) ||
    maxChoicesPerRequest < 1 ||
    maxChoicesPerRequest > MAX_LABELS[labelStyle] - 1
  ) {
    throw new InvalidArgumentError(
      'maxChoicesPerRequest',
      `an integer in [1, ${MAX_LABELS[labelStyle] - 1}] for ${labelStyle} labels (one label is kept for "none of these")`,
      maxChoicesPerRequest,
    );
  }
  const concurrency = o.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new InvalidArgumentError('concurrency', 'an integer >= 1', concurrency);
  const vp = o.visualPrompt ?? {};
  return {
    model: o.model,
    strategy: o.strategy ?? 'auto',
    labelStyle,
    topLogprobs,
    maxChoicesPerRequest,
    maxImageSide: o.maxImageSide ?? 1024,
    jpegQuality: o.jpegQuality ?? 90,
    seed: o.seed ?? 0,
    maxAnswerTokens: o.maxAnswerTokens ?? 64,
    sequenceLikelihoodApi: o.sequenceLikelihoodApi ?? 'vllm-chat',
    tgiPromptTemplate: o.tgiPromptTemplate ?? chatmlPrompt,
    concurrency,
    timeoutMs: o.timeoutMs ?? 120_000,
    retry: o.retry ?? {},
    cacheDir: o.cacheDir === false ? undefined : (o.cacheDir ?? join(resolveCacheDir(), 'remote-responses')),
    logger: o.logger,
    visual: {
      coordinates: vp.coordinates ?? 'qwen-absolute',
      drawBoxes: vp.drawBoxes ?? false,
      subjectColor: vp.subjectColor ?? 'red',
      objectColor: vp.objectColor ?? 'blue',
      cropToUnion: vp.cropToUnion ?? false,
      cropMargin: vp.cropMargin ?? 0.1,
      qwenResize: vp.qwenResize ?? {},
    },
  } as const;
}

function validate(call: RecognizeOptions): void {
  const { image, instances, pairs, candidates } = call;
  if (
    !image ||
    !(image.width > 0 && image.height > 0) ||
    image.data?.length !== image.width * image.height * 3
  ) {
    throw new InvalidArgumentError(
      'image',
      'an RgbImage with data.length = width * height * 3',
      image?.data?.length,
    );
  }
  pairs.forEach((p, i) => {
    if (!instances[p.subject] || !instances[p.object] || p.subject === p.object) {
      throw new InvalidArgumentError(
        `pairs[${i}]`,
        `subject and object indices into instances (0..${instances.length - 1}), different from each other`,
        `${p.subject}, ${p.object}`,
      );
    }
    for (const c of p.candidates) {
      if (!candidates[c])
        throw new InvalidArgumentError(
          `pairs[${i}].candidates`,
          `indices into candidates (0..${candidates.length - 1})`,
          c,
        );
    }
  });
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function cropRegion(a: BoxXyxy, b: BoxXyxy, margin: number, image: RgbImage): BoxXyxy {
  const u = unionBox(a, b);
  const mx = (u[2] - u[0]) * margin;
  const my = (u[3] - u[1]) * margin;
  return [
    Math.max(0, u[0] - mx),
    Math.max(0, u[1] - my),
    Math.min(image.width, u[2] + mx),
    Math.min(image.height, u[3] + my),
  ];
}

function withoutImage(m: ChatMessage): ChatMessage {
  if (typeof m.content === 'string') return m;
  return {
    ...m,
    content: m.content.map((part) =>
      part.type === 'image_url' ? { type: 'image_url', image_url: { url: 'image' } } : part,
    ),
  };
}
