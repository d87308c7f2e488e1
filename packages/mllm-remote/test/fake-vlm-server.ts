// biome-ignore-all lint/suspicious/noExplicitAny: the fake server reads request JSON of any shape, like a real server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions dialect (with logprobs,
 * top_logprobs and vLLM's prompt_logprobs), which is also the route @huggingface/inference uses with
 * `endpointUrl`. Its "model" answers as a function of the box coordinates in the prompt: the right
 * interaction is the candidate whose phrase names the side ("left"/"right") on which the object's
 * centre lies relative to the person's. It can be told to fail in the ways real servers do.
 */
export type FakeBehaviour =
  | { kind: 'status'; status: number; retryAfter?: string; echoAuthorization?: boolean }
  | { kind: 'malformed' }
  | { kind: 'truncated' }
  | { kind: 'delay'; ms: number }
  | { kind: 'no-logprobs' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, any>;
}

export interface FakeVlmServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Behaviours applied to the next requests, one each, before normal answers resume. */
  enqueue(...behaviours: FakeBehaviour[]): void;
  /** In-flight request count right now and its peak. */
  readonly peakInFlight: number;
  close(): Promise<void>;
}

export interface FakeVlmServerOptions {
  /** Added to every answer (benchmark). */
  latencyMs?: number;
  /** When false, the server ignores logprob fields like a server without support. Default true. */
  supportsLogprobs?: boolean;
  /** Most top_logprobs the server returns (OpenAI: 20). */
  maxTopLogprobs?: number;
  /** Keep every request in `requests` (default true; the benchmark turns it off to save memory). */
  recordRequests?: boolean;
  /**
   * `side` (default): the box-reading model above. `luce`: multiple-choice answers follow Luce's choice
   * axiom - each option has a strength (the number N in "... strength N", 1 for "none of these") and
   * P(option) = strength / sum of the shown options' strengths - so chunked and unchunked questions must
   * merge to the same scores.
   */
  choiceModel?: 'side' | 'luce';
}

const COORDS = /is at \(([-\d.]+), ([-\d.]+), ([-\d.]+), ([-\d.]+)\)/g;

/** The side of the object relative to the person, from the first two coordinate tuples of `text`. */
export function sideFromPrompt(text: string): 'left' | 'right' | undefined {
  const boxes = [...text.matchAll(COORDS)].map((m) => m.slice(1, 5).map(Number));
  if (boxes.length < 2) return undefined;
  const [p, o] = boxes as [number[], number[]];
  return (o[0]! + o[2]!) / 2 < (p[0]! + p[2]!) / 2 ? 'left' : 'right';
}

export async function startFakeVlmServer(options: FakeVlmServerOptions = {}): Promise<FakeVlmServer> {
  const requests: RecordedRequest[] = [];
  const queue: FakeBehaviour[] = [];
  let inFlight = 0;
  let peak = 0;
  const server: Server = createServer(async (req, res) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    try {
      await handle(req, res);
    } finally {
      inFlight--;
    }
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: Record<string, any> = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      body = {};
    }
    if (options.recordRequests !== false)
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    const isTgi = req.method === 'POST' && req.url === '/generate';
    if (!isTgi && (req.method !== 'POST' || req.url !== '/v1/chat/completions')) {
      return sendJson(res, 404, { error: { message: `no route ${req.url}` } });
    }
    const behaviour = queue.shift();
    if (options.latencyMs) await sleep(options.latencyMs);
    if (behaviour?.kind === 'delay') await sleep(behaviour.ms);
    if (res.destroyed) return;
    if (behaviour?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (behaviour.retryAfter !== undefined) headers['retry-after'] = behaviour.retryAfter;
      const message = behaviour.echoAuthorization
        ? `invalid credentials: ${req.headers.authorization ?? ''}`
        : `fake failure ${behaviour.status}`;
      res.writeHead(behaviour.status, headers);
      return res.end(JSON.stringify({ error: { message, type: 'fake' } }));
    }
    if (behaviour?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end('{"id": "x", "choices": [');
    }
    if (behaviour?.kind === 'truncated') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4000' });
      res.write('{"id":"x","object":"chat.completion","choi');
      setTimeout(() => res.socket?.destroy(), 5);
      return;
    }
    const logprobs = options.supportsLogprobs !== false && behaviour?.kind !== 'no-logprobs';
    if (isTgi) return sendJson(res, 200, tgiAnswer(body, logprobs));
    sendJson(res, 200, answer(body, logprobs, options.maxTopLogprobs ?? 20, options.choiceModel ?? 'side'));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...b) => queue.push(...b),
    get peakInFlight() {
      return peak;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function userText(body: Record<string, any>): string {
  const user = (body.messages ?? []).find((m: any) => m.role === 'user');
  if (!user) return '';
  return typeof user.content === 'string'
    ? user.content
    : user.content
        .filter((p: any) => p.type === 'text')
        .map((p: any) => p.text)
        .join('\n');
}

function answer(body: Record<string, any>, logprobs: boolean, maxTop: number, choiceModel: 'side' | 'luce') {
  const text = userText(body);
  const side = sideFromPrompt(text);
  const matches = (phrase: string) => side !== undefined && phrase.includes(side);
  const options = [...text.matchAll(/^([A-Z]|\d)\. (.*)$/gm)].map((m) => ({ label: m[1]!, phrase: m[2]! }));
  const top = Math.min(maxTop, Number(body.top_logprobs ?? 0));
  let content = '';
  let topLogprobs: Array<{ token: string; logprob: number; bytes: null }> = [];
  let promptLogprobs: unknown;

  if (body.prompt_logprobs !== undefined && body.messages?.at(-1)?.role === 'assistant') {
    // vLLM: teacher-forced prompt; log-probabilities of each prompt token, first one null.
    const phrase: string = body.messages.at(-1).content;
    const prefix = `<|im_start|>user\n${text}<|im_end|>\n<|im_start|>assistant\n`;
    const prefixTokens = prefix.match(/\s*\S+|\s+/g) ?? [];
    const phraseTokens = phrase.match(/\s*\S+/g) ?? [];
    const per = matches(phrase) ? -0.1 : -2;
    const entries: unknown[] = [null];
    [...prefixTokens.slice(1), ...phraseTokens].forEach((tok, i) => {
      const isPhrase = i >= prefixTokens.length - 1;
      entries.push({ [String(1000 + i)]: { logprob: isPhrase ? per : -1, rank: 1, decoded_token: tok } });
    });
    promptLogprobs = logprobs ? entries : undefined;
    content = ' ';
  } else if (/Answer yes or no/.test(text)) {
    const phrase = text.match(/Is the person (.*)\? Answer yes or no/)?.[1] ?? '';
    const pYes = matches(phrase) ? 0.9 : 0.1;
    content = pYes > 0.5 ? 'Yes' : 'No';
    topLogprobs = [
      { token: 'Yes', logprob: Math.log(pYes * 0.8), bytes: null },
      { token: 'No', logprob: Math.log((1 - pYes) * 0.8), bytes: null },
      { token: ' yes', logprob: Math.log(pYes * 0.1), bytes: null },
      { token: ' no', logprob: Math.log((1 - pYes) * 0.1), bytes: null },
    ].sort((a, b) => b.logprob - a.logprob);
  } else if (/JSON list/.test(text)) {
    content = JSON.stringify(options.filter((o) => matches(o.phrase)).map((o) => o.label));
  } else if (choiceModel === 'luce') {
    const strength = (phrase: string) =>
      phrase === 'none of these' ? 1 : Number(phrase.match(/strength (\d+(?:\.\d+)?)/)?.[1] ?? 1);
    const total = options.reduce((sum, o) => sum + strength(o.phrase), 0);
    topLogprobs = options
      .map((o) => ({ token: o.label, logprob: Math.log(strength(o.phrase) / total), bytes: null }))
      .sort((a, b) => b.logprob - a.logprob);
    content = topLogprobs[0]?.token ?? '';
  } else {
    const chosen =
      options.find((o) => matches(o.phrase)) ?? options.find((o) => o.phrase === 'none of these');
    content = chosen?.label ?? '';
    // 0.8 on the chosen label, 0.05 on its " A" variant, 0.1 shared by the other labels, 0.05 elsewhere.
    const others = options.filter((o) => o !== chosen);
    topLogprobs = [
      ...(chosen ? [{ token: chosen.label, logprob: Math.log(0.8), bytes: null }] : []),
      ...(chosen ? [{ token: ` ${chosen.label}`, logprob: Math.log(0.05), bytes: null }] : []),
      ...others.map((o) => ({
        token: o.label,
        logprob: Math.log(0.1 / Math.max(1, others.length)),
        bytes: null,
      })),
      { token: 'The', logprob: Math.log(0.01), bytes: null },
    ];
  }
  const completionTokens = 1;
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model ?? 'fake',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content },
        logprobs:
          logprobs && body.logprobs
            ? {
                content: [
                  {
                    token: content,
                    logprob: topLogprobs[0]?.logprob ?? 0,
                    bytes: null,
                    top_logprobs: topLogprobs.slice(0, top),
                  },
                ],
              }
            : null,
        finish_reason: 'stop',
      },
    ],
    usage: {
      prompt_tokens: Math.ceil(text.length / 4) + 256,
      completion_tokens: completionTokens,
      total_tokens: 0,
    },
    ...(promptLogprobs ? { prompt_logprobs: promptLogprobs } : {}),
  };
}

/**
 * TGI `/generate` with `decoder_input_details`: the raw prompt is ChatML with a markdown image; the answer
 * phrase is what follows the last assistant header. Prefill logprobs as in the vLLM route.
 */
function tgiAnswer(body: Record<string, any>, details: boolean) {
  const inputs: string = body.inputs ?? '';
  const marker = '<|im_start|>assistant\n';
  const cut = inputs.lastIndexOf(marker) + marker.length;
  const prefix = inputs.slice(0, cut).replace(/!\[\]\([^)]*\)/g, '');
  const phrase = inputs.slice(cut);
  const side = sideFromPrompt(prefix);
  const per = side !== undefined && phrase.includes(side) ? -0.1 : -2;
  const prefixTokens = prefix.match(/\s*\S+|\s+/g) ?? [];
  const phraseTokens = phrase.match(/\s*\S+/g) ?? [];
  const prefill = [
    ...prefixTokens.map((text, i) => ({ id: i, text, logprob: i === 0 ? null : -1 })),
    ...phraseTokens.map((text, i) => ({ id: 5000 + i, text, logprob: per })),
  ];
  const wants = body.parameters?.decoder_input_details === true && details;
  return {
    generated_text: ' ',
    details: {
      finish_reason: 'length',
      generated_tokens: 1,
      seed: body.parameters?.seed ?? null,
      prefill: wants ? prefill : [],
      tokens: [{ id: 1, text: ' ', logprob: -0.5, special: false }],
    },
  };
}

function sendJson(res: ServerResponse, status: number, value: unknown) {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}
