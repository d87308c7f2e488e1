import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AbortError, type ApiCallError, HoiError, InvalidArgumentError, OutputParseError } from '@hoi/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeVlmServer, startFakeVlmServer } from '../test/fake-vlm-server.js';
import { leftRightScene } from '../test/fixtures.js';
import {
  createHuggingFaceRecognizer,
  createOpenAICompatibleRecognizer,
  createRemoteRecognizer,
} from './create-recognizers.js';
import type { RemoteRecognizerLogEvent } from './remote-recognizer-options.js';

const API_KEY = 'sk-test-SECRET-0123456789';
const HF_TOKEN = 'hf_SECRETtokenABCDEFGHIJ';
let server: FakeVlmServer;
let cacheDir: string | undefined;

beforeEach(async () => {
  server = await startFakeVlmServer();
});
afterEach(async () => {
  await server.close();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
  cacheDir = undefined;
});

const openai = (extra: Record<string, unknown> = {}) =>
  createOpenAICompatibleRecognizer({
    baseURL: `${server.origin}/v1`,
    apiKey: API_KEY,
    model: 'qwen2.5-vl-test',
    retry: { initialDelayMs: 5, maxDelayMs: 200 },
    cacheDir: false,
    ...extra,
  });

/** Turns a fulfilled promise into a failure: these tests expect a rejection. */
function unexpected(): never {
  throw new Error('expected doRecognize to reject');
}

const PERSON_QWEN = '(116, 39, 193, 186)'; // [120,40,200,190] on 320x200 -> smart resize 308x196, rounded
const CUP_QWEN = '(10, 98, 58, 147)';

describe('choice-logprobs (default)', () => {
  it('scores each pair with one request and reads top_logprobs; the right side wins by construction', async () => {
    const scene = leftRightScene();
    const result = await openai().doRecognize(scene);
    expect(server.requests).toHaveLength(2);
    // cup is left of the person: candidate 0 ("reaching left") wins; ball is right: candidate 3 wins.
    const [cup, ball] = result.pairs;
    // label A 0.8 + " A" 0.05; B and "none" 0.05 each -> softmax over the shown labels
    expect(cup!.scores[0]).toBeCloseTo(0.85 / 0.95, 10);
    expect(cup!.scores[1]).toBeCloseTo(0.05 / 0.95, 10);
    expect(cup!.interactiveness).toBeCloseTo(0.9 / 0.95, 10);
    expect(cup!.logProbs![0]).toBeCloseTo(Math.log(0.85 / 0.95), 10);
    expect(ball!.scores[1]).toBeGreaterThan(ball!.scores[0]!);
    expect(result.warnings).toEqual([]);
    expect(result.providerMetadata?.remote).toMatchObject({
      requests: 2,
      retries: 0,
      cacheHits: 0,
      completionTokens: 2,
      strategies: ['choice-logprobs'],
      model: 'qwen2.5-vl-test',
    });
    expect(result.providerMetadata?.remote?.promptTokens).toBeGreaterThan(500);
  });

  it('sends exactly the documented request', async () => {
    const scene = leftRightScene();
    await openai().doRecognize(scene);
    const req = server.requests.find((r) => JSON.stringify(r.body).includes('the cup'))!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const { messages, ...rest } = req.body;
    expect(rest).toEqual({
      model: 'qwen2.5-vl-test',
      temperature: 0,
      seed: 0,
      max_tokens: 1,
      logprobs: true,
      top_logprobs: 20,
    });
    expect(messages).toHaveLength(1);
    expect(messages[0].role).toBe('user');
    expect(messages[0].content[0].type).toBe('image_url');
    expect(messages[0].content[0].image_url.url).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(messages[0].content[1]).toEqual({
      type: 'text',
      text: [
        `The person is at ${PERSON_QWEN}. The cup is at ${CUP_QWEN}. Coordinates are (x1, y1, x2, y2) in pixels of the image.`,
        'Which interaction between the person and the cup does the image show? Options:',
        'A. reaching left for a cup',
        'B. reaching right for a cup',
        'C. none of these',
        'Answer with the letter of the best option only.',
      ].join('\n'),
    });
    // the image is encoded once per call: every request carries the same bytes
    const urls = new Set(server.requests.map((r) => r.body.messages[0].content[0].image_url.url));
    expect(urls.size).toBe(1);
  });

  it('chunks candidates beyond maxChoicesPerRequest and keeps one distribution over all of them', async () => {
    const scene = leftRightScene();
    const candidates = [
      ...scene.candidates,
      { verb: 'a', object: 'cup', phrase: 'washing a cup' },
      { verb: 'b', object: 'cup', phrase: 'drinking with a cup' },
      { verb: 'c', object: 'cup', phrase: 'holding a cup on the left' },
    ];
    const pairs = [{ subject: 0, object: 1, candidates: [4, 5, 1, 6, 0] }];
    const result = await openai({ maxChoicesPerRequest: 2 }).doRecognize({ ...scene, candidates, pairs });
    expect(server.requests).toHaveLength(3);
    for (const r of server.requests) {
      const text: string = r.body.messages[0].content[1].text;
      expect(text).toMatch(/\nC\. none of these\n|\nB\. none of these\n/);
    }
    const s = result.pairs[0]!.scores;
    expect(s).toHaveLength(5);
    // chunk 3 holds only "reaching left" (index 4 of the pair); chunk 2 picks "holding a cup on the left"
    expect(s.reduce((a, b) => a + b, 0)).toBeLessThan(1);
    expect(s[4]).toBeGreaterThan(s[0]!);
    expect(s[3]).toBeGreaterThan(s[2]!);
    expect(s[0]).toBeCloseTo(s[1]!, 12); // tie: both unchosen in the same chunk
  });

  it('chunked and unchunked questions give the same scores when the model obeys Luce’s axiom (end to end)', async () => {
    await using luce = await startFakeVlmServer({ choiceModel: 'luce' });
    const scene = leftRightScene();
    const strengths = [3, 0.5, 7, 2, 1.5, 4, 0.25];
    const candidates = strengths.map((w, i) => ({
      verb: `v${i}`,
      object: 'cup',
      phrase: `doing ${i} with strength ${w}`,
    }));
    const pairs = [{ subject: 0, object: 1, candidates: [6, 0, 1, 2, 3, 4, 5] }];
    const score = async (maxChoicesPerRequest: number) =>
      createOpenAICompatibleRecognizer({
        baseURL: `${luce.origin}/v1`,
        model: 'm',
        maxChoicesPerRequest,
        cacheDir: false,
      }).doRecognize({
        ...scene,
        candidates,
        pairs,
      });
    const whole = await score(15);
    const chunked = await score(2);
    expect(luce.requests).toHaveLength(1 + 4);
    const w = pairs[0]!.candidates.map((c) => strengths[c]!);
    const z = w.reduce((a, b) => a + b, 0) + 1;
    whole.pairs[0]!.scores.forEach((s, k) => {
      expect(s).toBeCloseTo(w[k]! / z, 12);
      expect(chunked.pairs[0]!.scores[k]).toBeCloseTo(s, 12);
    });
    expect(chunked.pairs[0]!.interactiveness).toBeCloseTo(1 - 1 / z, 12);
  });

  it('numbers as labels', async () => {
    const result = await openai({ labelStyle: 'numbers' }).doRecognize(leftRightScene());
    expect(server.requests[0]!.body.messages[0].content[1].text).toContain(
      '\n1. reaching left for a cup\n2. reaching right for a cup\n3. none of these\nAnswer with the number',
    );
    expect(result.pairs[0]!.scores[0]).toBeCloseTo(0.85 / 0.95, 10);
  });
});

describe('other strategies', () => {
  it('yes-no: P(yes) over yes/no variants, one request per candidate', async () => {
    const result = await openai({ strategy: 'yes-no' }).doRecognize(leftRightScene());
    expect(server.requests).toHaveLength(4);
    expect(result.pairs[0]!.scores[0]).toBeCloseTo(0.9, 10);
    expect(result.pairs[0]!.scores[1]).toBeCloseTo(0.1, 10);
    expect(result.pairs[1]!.scores[1]).toBeCloseTo(0.9, 10);
    const texts = server.requests.map((r) => r.body.messages[0].content[1].text as string);
    expect(texts).toContain(
      `The person is at ${PERSON_QWEN}. The cup is at ${CUP_QWEN}. Coordinates are (x1, y1, x2, y2) in pixels of the image.\nIs the person reaching left for a cup? Answer yes or no.`,
    );
    expect(server.requests[0]!.body).toMatchObject({
      logprobs: true,
      top_logprobs: 20,
      max_tokens: 1,
      temperature: 0,
      seed: 0,
    });
  });

  it('sequence-likelihood: sums the prompt logprobs of the teacher-forced phrase (vLLM)', async () => {
    const result = await openai({ strategy: 'sequence-likelihood', seed: 7 }).doRecognize(leftRightScene());
    expect(server.requests).toHaveLength(4);
    // "reaching left for a cup": 5 tokens at -0.1 (matches the side); the other phrase 5 tokens at -2
    expect(result.pairs[0]!.logProbs![0]).toBeCloseTo(-0.5, 10);
    expect(result.pairs[0]!.logProbs![1]).toBeCloseTo(-10, 10);
    expect(result.pairs[0]!.scores[0]).toBeCloseTo(Math.exp(-0.5), 10);
    const req = server.requests.find((r) => r.body.messages[1]?.content === 'reaching left for a cup')!;
    expect(req.body).toMatchObject({
      prompt_logprobs: 0,
      add_generation_prompt: false,
      continue_final_message: true,
      max_tokens: 1,
      temperature: 0,
      seed: 7,
    });
    expect(req.body.logprobs).toBeUndefined();
    expect(req.body.messages[0].content[1].text).toMatch(
      /What is the person doing with the cup\? Answer with a short phrase\.$/,
    );
  });

  it('sequence-likelihood on a server without prompt_logprobs is an OutputParseError', async () => {
    await using plain = await startFakeVlmServer({ supportsLogprobs: false });
    const r = createOpenAICompatibleRecognizer({
      baseURL: `${plain.origin}/v1`,
      model: 'm',
      strategy: 'sequence-likelihood',
      cacheDir: false,
    });
    await expect(r.doRecognize(leftRightScene())).rejects.toBeInstanceOf(OutputParseError);
  });

  it('auto falls back to text (0/1 scores, a warning) when the server has no logprobs, and remembers it', async () => {
    await using plain = await startFakeVlmServer({ supportsLogprobs: false });
    const events: RemoteRecognizerLogEvent[] = [];
    const r = createOpenAICompatibleRecognizer({
      baseURL: `${plain.origin}/v1`,
      model: 'm',
      cacheDir: false,
      logger: (e) => events.push(e),
    });
    const first = await r.doRecognize(leftRightScene());
    expect(first.pairs.map((p) => p.scores)).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(first.warnings.map((w) => w.message).join(' ')).toMatch(/no logprobs.*uncalibrated/);
    expect(events.some((e) => e.type === 'fallback')).toBe(true);
    expect(plain.requests).toHaveLength(4); // 2 choice requests without logprobs, 2 text requests
    const textReq = plain.requests.at(-1)!.body;
    expect(textReq.logprobs).toBeUndefined();
    expect(textReq.max_tokens).toBe(64);
    expect(textReq.messages[0].content[1].text).toContain(
      'Answer with a JSON list of the letters of every option that applies, e.g. ["A", "C"], or [] if none applies.',
    );
    const second = await r.doRecognize(leftRightScene());
    expect(plain.requests).toHaveLength(6); // straight to text
    expect(second.pairs.map((p) => p.scores)).toEqual(first.pairs.map((p) => p.scores));
    expect(second.providerMetadata?.remote?.strategies).toEqual(['text']);
  });
});

describe('visual prompting', () => {
  it('draws boxes (one image per pair) and can omit coordinates', async () => {
    const result = await openai({ visualPrompt: { drawBoxes: true, coordinates: 'none' } }).doRecognize(
      leftRightScene(),
    );
    const texts = server.requests.map((r) => r.body.messages[0].content[1].text as string);
    expect(
      texts.some((t) =>
        t.startsWith('The person is marked with a red box and the cup with a blue box.\nWhich'),
      ),
    ).toBe(true);
    expect(texts.every((t) => !t.includes(' is at ('))).toBe(true);
    const urls = new Set(server.requests.map((r) => r.body.messages[0].content[0].image_url.url));
    expect(urls.size).toBe(2);
    expect(result.pairs).toHaveLength(2);
  });

  it('crops to the union box and writes coordinates relative to the crop (0-1000)', async () => {
    const result = await openai({
      visualPrompt: { cropToUnion: true, cropMargin: 0, coordinates: 'norm-1000' },
    }).doRecognize(leftRightScene());
    const text = server.requests.find((r) => JSON.stringify(r.body).includes('the cup'))!.body.messages[0]
      .content[1].text;
    // union of person [120,40,200,190] and cup [10,100,60,150] = [10,40,200,190] (190 x 150)
    expect(text).toContain('The image is cropped around the person and the object.');
    expect(text).toContain('The person is at (579, 0, 1000, 1000). The cup is at (0, 400, 263, 733).');
    expect(result.pairs[0]!.scores[0]).toBeGreaterThan(result.pairs[0]!.scores[1]!);
  });
});

describe('reliability', () => {
  it.each([
    ['429 with Retry-After', { kind: 'status', status: 429, retryAfter: '0.05' }],
    ['500', { kind: 'status', status: 500 }],
    ['503', { kind: 'status', status: 503 }],
    ['malformed JSON', { kind: 'malformed' }],
    ['a truncated body', { kind: 'truncated' }],
    ['a reply slower than the timeout', { kind: 'delay', ms: 2000 }],
  ] as const)('retries after %s and then succeeds', async (_name, behaviour) => {
    server.enqueue(behaviour);
    const started = Date.now();
    const result = await openai({ timeoutMs: 300, concurrency: 1 }).doRecognize(leftRightScene());
    expect(result.pairs[0]!.scores[0]).toBeCloseTo(0.85 / 0.95, 10);
    expect(result.providerMetadata?.remote).toMatchObject({ requests: 3, retries: 1 });
    if (behaviour.kind === 'status' && behaviour.status === 429)
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it.each([400, 401, 403, 404, 422])('does not retry HTTP %i and says what to change', async (status) => {
    server.enqueue({ kind: 'status', status });
    const error = await openai({ concurrency: 1 })
      .doRecognize(leftRightScene())
      .then(unexpected, (e: unknown) => e);
    expect(HoiError.isInstance(error)).toBe(true);
    const e = error as ApiCallError;
    expect(e.name).toBe('HoiApiCallError');
    expect(e.status).toBe(status);
    expect(e.isRetryable).toBe(false);
    expect(e.url).toBe(`${server.origin}/v1/chat/completions`);
    expect(e.message).toMatch(/HTTP \d{3}: .*(Check|rejected)/);
    expect(server.requests.length).toBeLessThanOrEqual(2); // the failing request, maybe a sibling already in flight
  });

  it('gives up after maxRetries with a retryable ApiCallError', async () => {
    for (let i = 0; i < 3; i++) server.enqueue({ kind: 'status', status: 500 });
    const scene = leftRightScene();
    const error = await openai({ concurrency: 1, retry: { maxRetries: 2, initialDelayMs: 1 } })
      .doRecognize({ ...scene, pairs: scene.pairs.slice(0, 1) })
      .then(unexpected, (e: unknown) => e as ApiCallError);
    expect(error.name).toBe('HoiApiCallError');
    expect(error.isRetryable).toBe(true);
    expect(server.requests).toHaveLength(3);
  });

  it('never puts the API key in errors or logs, even when the server echoes it', async () => {
    server.enqueue({ kind: 'status', status: 429, retryAfter: '0', echoAuthorization: true });
    server.enqueue({ kind: 'status', status: 401, echoAuthorization: true });
    const logs: string[] = [];
    const error = await openai({
      concurrency: 1,
      logger: (e: RemoteRecognizerLogEvent) => logs.push(JSON.stringify(e)),
    })
      .doRecognize(leftRightScene())
      .then(unexpected, (e: unknown) => e as ApiCallError);
    expect(error.status).toBe(401);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`); // it was sent...
    const everything = [
      error.message,
      error.stack,
      error.responseBody,
      JSON.stringify(error),
      String(error.cause),
      ...logs,
    ].join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(everything).toContain('[redacted]');
    expect(everything).not.toContain(API_KEY); // ...but never shown
    expect(everything).not.toContain('SECRET');
  });

  it('an AbortSignal cancels in-flight requests', async () => {
    server.enqueue({ kind: 'delay', ms: 5000 }, { kind: 'delay', ms: 5000 });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    await expect(
      openai().doRecognize({ ...leftRightScene(), signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an AbortSignal cancels a pending retry wait', async () => {
    server.enqueue(
      { kind: 'status', status: 429, retryAfter: '20' },
      { kind: 'status', status: 429, retryAfter: '20' },
    );
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 150);
    await expect(
      openai({ retry: { maxDelayMs: 60_000 } }).doRecognize({
        ...leftRightScene(),
        signal: controller.signal,
      }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('an already aborted signal sends nothing', async () => {
    await expect(
      openai().doRecognize({ ...leftRightScene(), signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortError);
    expect(server.requests).toHaveLength(0);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    await using slow = await startFakeVlmServer({ latencyMs: 30 });
    const scene = leftRightScene();
    const pairs = Array.from({ length: 10 }, (_, i) => scene.pairs[i % 2]!);
    const r = createOpenAICompatibleRecognizer({
      baseURL: `${slow.origin}/v1`,
      model: 'm',
      concurrency: 3,
      cacheDir: false,
    });
    const result = await r.doRecognize({ ...scene, pairs });
    expect(result.pairs).toHaveLength(10);
    expect(slow.requests).toHaveLength(10);
    expect(slow.peakInFlight).toBeLessThanOrEqual(3);
    expect(slow.peakInFlight).toBeGreaterThanOrEqual(2);
  });
});

describe('disk cache', () => {
  it('answers a re-run from disk without any request, with identical scores', async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'hoi-remote-'));
    const first = await openai({ cacheDir }).doRecognize(leftRightScene());
    expect(server.requests).toHaveLength(2);
    const again = await openai({ cacheDir }).doRecognize(leftRightScene());
    expect(server.requests).toHaveLength(2);
    expect(again.pairs).toEqual(first.pairs);
    expect(again.providerMetadata?.remote).toMatchObject({ requests: 0, cacheHits: 2, promptTokens: 0 });
    // a different strategy, candidate set or image is a miss
    await openai({ cacheDir, strategy: 'yes-no' }).doRecognize(leftRightScene());
    expect(server.requests).toHaveLength(6);
    const scene = leftRightScene();
    scene.image.data[0] = 7;
    await openai({ cacheDir }).doRecognize(scene);
    expect(server.requests).toHaveLength(8);
  });
});

describe('disk cache that cannot be written', () => {
  it('still returns the scores, with a warning', async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'hoi-remote-'));
    const blocker = join(cacheDir, 'not-a-folder');
    await writeFile(blocker, 'x');
    const result = await openai({ cacheDir: blocker }).doRecognize(leftRightScene());
    expect(result.pairs[0]!.scores[0]).toBeCloseTo(0.85 / 0.95, 10);
    expect(result.warnings.map((w) => w.message).join(' ')).toMatch(/Could not write the response cache/);
  });
});

describe('Hugging Face (@huggingface/inference with endpointUrl)', () => {
  const hf = (extra: Record<string, unknown> = {}) =>
    createHuggingFaceRecognizer({
      endpointUrl: server.origin,
      token: HF_TOKEN,
      model: 'Qwen/Qwen2.5-VL-7B-Instruct',
      retry: { initialDelayMs: 5 },
      cacheDir: false,
      ...extra,
    });

  it('sends the same chat request through the HF client and parses the same scores', async () => {
    const result = await hf().doRecognize(leftRightScene());
    expect(result.pairs[0]!.scores[0]).toBeCloseTo(0.85 / 0.95, 10);
    expect(result.pairs[1]!.scores[1]).toBeGreaterThan(0.8);
    const req = server.requests[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${HF_TOKEN}`);
    expect(String(req.headers['user-agent'])).toContain('@huggingface/inference');
    expect(req.body).toMatchObject({
      model: 'Qwen/Qwen2.5-VL-7B-Instruct',
      temperature: 0,
      seed: 0,
      logprobs: true,
      top_logprobs: 20,
      max_tokens: 1,
    });
    expect(req.body.messages[0].content[0].image_url.url).toMatch(/^data:image\/jpeg;base64,/);
  });

  it('honours Retry-After and retries 503 itself (the library’s own 503 loop is off)', async () => {
    server.enqueue({ kind: 'status', status: 429, retryAfter: '0.05' }, { kind: 'status', status: 503 });
    const result = await hf({ concurrency: 1 }).doRecognize(leftRightScene());
    expect(result.providerMetadata?.remote).toMatchObject({ requests: 4, retries: 2 });
  });

  it('retries malformed, truncated and slow answers through the HF client too', async () => {
    server.enqueue({ kind: 'malformed' }, { kind: 'truncated' }, { kind: 'delay', ms: 2000 });
    const result = await hf({ concurrency: 1, timeoutMs: 300 }).doRecognize(leftRightScene());
    expect(result.pairs[0]!.scores[0]).toBeCloseTo(0.85 / 0.95, 10);
    expect(result.providerMetadata?.remote).toMatchObject({ requests: 5, retries: 3 });
  });

  it('keeps the token out of errors', async () => {
    server.enqueue({ kind: 'status', status: 401, echoAuthorization: true });
    const error = await hf({ concurrency: 1 })
      .doRecognize(leftRightScene())
      .then(unexpected, (e: unknown) => e as ApiCallError);
    expect(error.name).toBe('HoiApiCallError');
    expect(error.status).toBe(401);
    const everything = [error.message, error.stack, error.responseBody, JSON.stringify(error)].join('\n');
    expect(everything).not.toContain(HF_TOKEN);
  });

  it('createRemoteRecognizer picks the client by api', async () => {
    const r = createRemoteRecognizer({
      api: 'huggingface',
      endpointUrl: server.origin,
      token: HF_TOKEN,
      model: 'm',
      cacheDir: false,
    });
    await r.doRecognize(leftRightScene());
    expect(String(server.requests[0]!.headers['user-agent'])).toContain('@huggingface/inference');
    const o = createRemoteRecognizer({
      api: 'openai-compatible',
      baseURL: `${server.origin}/v1`,
      apiKey: API_KEY,
      model: 'm',
      cacheDir: false,
    });
    await o.doRecognize(leftRightScene());
    expect(String(server.requests.at(-1)!.headers['user-agent'])).not.toContain('@huggingface/inference');
  });
});

describe('arguments', () => {
  it('returns empty results for no pairs and empty scores for a pair without candidates, sending nothing', async () => {
    const scene = leftRightScene();
    const r = openai();
    expect((await r.doRecognize({ ...scene, pairs: [] })).pairs).toEqual([]);
    expect(
      (await r.doRecognize({ ...scene, pairs: [{ subject: 0, object: 1, candidates: [] }] })).pairs,
    ).toEqual([{ scores: [], logProbs: [] }]);
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    [{ subject: 0, object: 9, candidates: [0] }],
    [{ subject: 0, object: 0, candidates: [0] }],
    [{ subject: 0, object: 1, candidates: [42] }],
  ])('rejects a bad pair %j', async (pair) => {
    await expect(openai().doRecognize({ ...leftRightScene(), pairs: [pair] })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('takes a per-call strategy from providerOptions.remote and rejects unknown ones', async () => {
    const r = openai();
    const result = await r.doRecognize({
      ...leftRightScene(),
      providerOptions: { remote: { strategy: 'yes-no' } },
    });
    expect(server.requests).toHaveLength(4);
    expect(result.providerMetadata?.remote?.strategies).toEqual(['yes-no']);
    await expect(
      r.doRecognize({ ...leftRightScene(), providerOptions: { remote: { strategy: 'guess' } } }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('rejects bad options at construction', () => {
    expect(() => openai({ strategy: 'guess' })).toThrow(/strategy/);
    expect(() => openai({ model: '' })).toThrow(/model/);
    expect(() => openai({ maxChoicesPerRequest: 26 })).toThrow(/maxChoicesPerRequest/);
    expect(() => openai({ labelStyle: 'numbers', maxChoicesPerRequest: 9 })).toThrow(/\[1, 8\]/);
    expect(() => openai({ concurrency: 0 })).toThrow(/concurrency/);
  });
});

describe('sequence-likelihood on TGI (/generate with decoder_input_details)', () => {
  it('sends a ChatML prompt with a markdown image and sums the prefill logprobs of the phrase', async () => {
    server.enqueue({ kind: 'status', status: 503, retryAfter: '0' });
    const result = await openai({
      strategy: 'sequence-likelihood',
      sequenceLikelihoodApi: 'tgi-generate',
      concurrency: 1,
    }).doRecognize(leftRightScene());
    expect(result.pairs[0]!.logProbs![0]).toBeCloseTo(-0.5, 10);
    expect(result.pairs[0]!.logProbs![1]).toBeCloseTo(-10, 10);
    expect(result.pairs[1]!.logProbs![1]).toBeCloseTo(-0.5, 10);
    expect(result.providerMetadata?.remote).toMatchObject({ requests: 5, retries: 1 });
    const req = server.requests.find((r) => String(r.body.inputs).endsWith('reaching left for a cup'))!;
    expect(req.path).toBe('/generate');
    expect(req.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(req.body.parameters).toEqual({
      max_new_tokens: 1,
      details: true,
      decoder_input_details: true,
      do_sample: false,
      seed: 0,
    });
    const inputs: string = req.body.inputs;
    expect(inputs).toMatch(
      /^<\|im_start\|>system\nYou are a helpful assistant\.<\|im_end\|>\n<\|im_start\|>user\n!\[\]\(data:image\/jpeg;base64,[^)]+\)The person is at /,
    );
    expect(
      inputs.endsWith(
        `What is the person doing with the cup? Answer with a short phrase.<|im_end|>\n<|im_start|>assistant\nreaching left for a cup`,
      ),
    ).toBe(true);
  });

  it('works through the Hugging Face recognizer with endpointUrl, and needs a URL', async () => {
    const r = createHuggingFaceRecognizer({
      endpointUrl: server.origin,
      token: HF_TOKEN,
      model: 'm',
      strategy: 'sequence-likelihood',
      sequenceLikelihoodApi: 'tgi-generate',
      cacheDir: false,
    });
    const result = await r.doRecognize(leftRightScene());
    expect(result.pairs[0]!.scores[0]).toBeCloseTo(Math.exp(-0.5), 10);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${HF_TOKEN}`);
    expect(() =>
      createHuggingFaceRecognizer({
        model: 'm',
        token: HF_TOKEN,
        sequenceLikelihoodApi: 'tgi-generate',
        cacheDir: false,
      }),
    ).toThrow(/sequenceLikelihoodApi/);
  });

  it('a server without prefill details is an OutputParseError; 401 keeps the key out', async () => {
    await using plain = await startFakeVlmServer({ supportsLogprobs: false });
    const r = createOpenAICompatibleRecognizer({
      baseURL: `${plain.origin}/v1`,
      model: 'm',
      strategy: 'sequence-likelihood',
      sequenceLikelihoodApi: 'tgi-generate',
      cacheDir: false,
    });
    await expect(r.doRecognize(leftRightScene())).rejects.toBeInstanceOf(OutputParseError);
    server.enqueue({ kind: 'status', status: 401, echoAuthorization: true });
    const error = await openai({
      strategy: 'sequence-likelihood',
      sequenceLikelihoodApi: 'tgi-generate',
      concurrency: 1,
    })
      .doRecognize(leftRightScene())
      .then(unexpected, (e: unknown) => e as ApiCallError);
    expect(error.status).toBe(401);
    expect(error.url).toBe(`${server.origin}/generate`);
    expect([error.message, error.responseBody, JSON.stringify(error)].join(' ')).not.toContain(API_KEY);
  });
});
