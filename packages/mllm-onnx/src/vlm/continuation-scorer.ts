import { throwIfAborted } from '@hoi/core';
import { logSumExp } from '../vector-math.js';
import { mropePositionIds } from './mrope.js';
import type { EncodedImage, KvCache, VlmModel } from './vlm-model.js';

/** One sequence to score: `ids` = image + question (+ answer). */
export interface ScoreRow {
  ids: number[];
  /** Sum the log-probabilities of ids[scoreFrom..] (teacher forcing). Use ids.length to score nothing. */
  scoreFrom: number;
  /** Next-token ids whose log-probability after the whole row is wanted (yes/no mode). */
  targets?: number[];
}

export interface RowScore {
  /** Sum of log p over ids[scoreFrom..]. */
  logProb: number;
  /** Number of tokens summed. */
  tokens: number;
  /** log p of each target after the row. */
  targetLogProbs: number[];
}

/** A decoder state: cache plus the logits of its last position and the next M-RoPE position. */
interface PrefixState {
  ids: number[];
  cache: KvCache;
  lastLogits: Float32Array;
  next: number;
}

/** Settings of the scorer. */
export interface ScorerOptions {
  /** Largest candidate batch per decoder call (memory: batch x layers x 2 x kv_heads x prefix x head_dim floats). */
  maxBatch: number;
  padId: number;
  signal?: AbortSignal;
}

/**
 * Teacher-forced scoring of many rows that share an image+question prefix. The image-level prefix (up to
 * `<|vision_end|>`) is run once per image and cached; each call then runs the rows' remaining common
 * prefix once on top of it, tiles that KV cache along the batch axis and scores all continuations as
 * right-padded batches (attention mask 0 on pads; positions continuing from the prefix on all three
 * M-RoPE axes).
 */
export class SharedPrefixScorer {
  private imageState: PrefixState | undefined;

  constructor(
    private readonly model: VlmModel,
    private readonly image: EncodedImage,
    private readonly options: ScorerOptions,
  ) {}

  private async run(ids: number[], past: PrefixState | undefined): Promise<PrefixState> {
    const start = past?.ids.length ?? 0;
    const fresh = ids.slice(start);
    const grid = past ? undefined : this.image.grid;
    const { positions, next } = mropePositionIds(fresh, this.model.ids.image, grid, past?.next ?? 0);
    const S = fresh.length;
    const pos = new BigInt64Array(3 * S);
    for (let a = 0; a < 3; a++) for (let s = 0; s < S; s++) pos[a * S + s] = BigInt(positions[a]![s]!);
    const mask = new BigInt64Array(start + S).fill(1n);
    const embeds = await this.model.embedRows([fresh], past ? undefined : this.image);
    const r = await this.model.decode(embeds, 1, S, mask, pos, past?.cache ?? this.model.emptyCache(1), 1);
    return { ids, cache: r.cache, lastLogits: r.logits.slice(-r.logitsDims[2]!), next };
  }

  /** The cached image-level state for rows starting with `imageIds`. */
  private async imagePrefix(imageIds: number[]): Promise<PrefixState> {
    const s = this.imageState;
    if (s && s.ids.length === imageIds.length && s.ids.every((v, i) => v === imageIds[i])) return s;
    this.imageState = await this.run(imageIds, undefined);
    return this.imageState;
  }

  /** Scores rows with the shared-prefix batch. */
  async score(rows: readonly ScoreRow[]): Promise<RowScore[]> {
    if (rows.length === 0) return [];
    const first = rows[0]!.ids;
    const imageEnd = this.model.imagePrefixEnd(first);
    let cp = first.length;
    for (const r of rows) {
      let i = 0;
      while (i < cp && i < r.ids.length && r.ids[i] === first[i]) i++;
      cp = Math.min(i, r.scoreFrom, r.ids.length - 1);
    }
    if (imageEnd <= 0 || cp < imageEnd) return this.scoreNaive(rows); // no shareable image block
    throwIfAborted(this.options.signal);
    const imageState = await this.imagePrefix(first.slice(0, imageEnd));
    throwIfAborted(this.options.signal);
    const prefix = cp > imageEnd ? await this.run(first.slice(0, cp), imageState) : imageState;
    const results: RowScore[] = [];
    for (let b0 = 0; b0 < rows.length; b0 += this.options.maxBatch) {
      throwIfAborted(this.options.signal);
      results.push(...(await this.scoreBatch(rows.slice(b0, b0 + this.options.maxBatch), prefix)));
    }
    return results;
  }

  private async scoreBatch(rows: readonly ScoreRow[], prefix: PrefixState): Promise<RowScore[]> {
    const B = rows.length;
    const P = prefix.ids.length;
    // A row's last token is only ever predicted, never a predictor, unless the row asks for next-token
    // targets: it is not fed (the naive path skips it the same way).
    const fedLen = rows.map((r) => r.ids.length - P - (r.targets?.length ? 0 : 1));
    const L = Math.max(...fedLen);
    let logits: Float32Array = new Float32Array(0);
    let V = prefix.lastLogits.length;
    if (L > 0) {
      const suffixes = rows.map((r, b) => {
        const s = r.ids.slice(P, P + fedLen[b]!);
        while (s.length < L) s.push(this.options.padId);
        return s;
      });
      const mask = new BigInt64Array(B * (P + L));
      const pos = new BigInt64Array(3 * B * L);
      for (let b = 0; b < B; b++) {
        mask.fill(1n, b * (P + L), b * (P + L) + P + fedLen[b]!);
        for (let a = 0; a < 3; a++)
          for (let j = 0; j < L; j++) pos[(a * B + b) * L + j] = BigInt(prefix.next + j);
      }
      const embeds = await this.model.embedRows(suffixes);
      // Only the logits come back: the batch's own KV cache is never reused.
      const out = await this.model.decode(embeds, B, L, mask, pos, this.model.tileCache(prefix.cache, B), 0, {
        cache: false,
      });
      logits = out.logits;
      V = out.logitsDims[2]!;
    }
    // Every row reads the prefix's last logits (its first token's prediction): one log-sum-exp for all.
    const prefixLse = logSumExp(prefix.lastLogits, 0, V);
    return rows.map((r, b) => {
      // Logits predicting absolute token j: the prefix's last position for j == P, else row position j-P-1.
      const predictor = (j: number): Predictor =>
        j === P ? [prefix.lastLogits, 0, prefixLse] : [logits, (b * L + (j - P - 1)) * V];
      return rowScore(r, predictor, V);
    });
  }

  /**
   * The reference: every row run alone from an empty cache over its full sequence (minus its last token
   * when no target follows it, exactly as the batch path; logits only at the positions read; no KV cache
   * fetched). Same numbers as {@link score} up to float rounding, at the cost of re-running image and
   * question per row.
   */
  async scoreNaive(rows: readonly ScoreRow[]): Promise<RowScore[]> {
    const out: RowScore[] = [];
    for (const r of rows) {
      throwIfAborted(this.options.signal);
      // Fed: the whole row, except its last token when nothing reads the logits after it.
      const S = r.ids.length - (r.targets?.length ? 0 : 1);
      // Logits only where they are read (positions scoreFrom-1 .. S-1), as a fair baseline would.
      const keep = S - r.scoreFrom + 1;
      if (keep <= 0 || S <= 0) {
        out.push({ logProb: 0, tokens: 0, targetLogProbs: [] }); // nothing to score
        continue;
      }
      const ids = r.ids.slice(0, S);
      const { positions } = mropePositionIds(ids, this.model.ids.image, this.image.grid, 0);
      const pos = new BigInt64Array(3 * S);
      for (let a = 0; a < 3; a++) for (let s = 0; s < S; s++) pos[a * S + s] = BigInt(positions[a]![s]!);
      const embeds = await this.model.embedRows([ids], this.image);
      const mask = new BigInt64Array(S).fill(1n);
      const res = await this.model.decode(embeds, 1, S, mask, pos, this.model.emptyCache(1), keep, {
        cache: false,
      });
      const V = res.logitsDims[2]!;
      const first = S - res.logitsDims[1]!; // absolute position of the first kept logits row
      out.push(rowScore(r, (j) => [res.logits, (j - 1 - first) * V], V));
    }
    return out;
  }
}

/** The logits row predicting a token: array, offset, and its log-sum-exp when already known. */
type Predictor = [Float32Array, number, number?];

function rowScore(r: ScoreRow, predictor: (j: number) => Predictor, V: number): RowScore {
  let logProb = 0;
  for (let j = r.scoreFrom; j < r.ids.length; j++) {
    const [x, off, known] = predictor(j);
    logProb += x[off + r.ids[j]!]! - (known ?? logSumExp(x, off, off + V));
  }
  const targetLogProbs: number[] = [];
  if (r.targets?.length) {
    const [x, off, known] = predictor(r.ids.length);
    const lse = known ?? logSumExp(x, off, off + V);
    for (const t of r.targets) targetLogProbs.push(x[off + t]! - lse);
  }
  return { logProb, tokens: r.ids.length - r.scoreFrom, targetLogProbs };
}
