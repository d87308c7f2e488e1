import type { HoiResult } from '@hoi/core/spec';

export interface OverlayOptions {
  /** Draw at most this many pairs (best first). Default 8. */
  maxPairs?: number;
  /** Verbs listed per pair. Default 3. */
  maxVerbsPerPair?: number;
  /** Hide interactions scoring below this. Default 0. */
  minScore?: number;
  /** Add `data-pair` attributes and CSS classes for the interactive HTML page. */
  interactive?: boolean;
  /** Prefix of element ids (unique per image on a page). */
  idPrefix?: string;
}

/** One drawn pair: its instances and the verbs listed for it. */
export interface OverlayPair {
  key: string;
  subject: number;
  object: number;
  verbs: { verb: string; score: number }[];
}

const PALETTE = [
  '#e6194b',
  '#3cb44b',
  '#4363d8',
  '#f58231',
  '#911eb4',
  '#42d4f4',
  '#f032e6',
  '#9a6324',
  '#800000',
  '#469990',
];
const HUMAN_COLOUR = '#ffe119';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Groups a record's interactions into pairs, best pair first, keeping at most `maxPairs`. */
export function overlayPairs(result: HoiResult, options: OverlayOptions = {}): OverlayPair[] {
  const { maxPairs = 8, maxVerbsPerPair = 3, minScore = 0 } = options;
  const byPair = new Map<string, OverlayPair>();
  for (const t of result.interactions) {
    if (t.score < minScore) continue;
    const key = `${t.subject}-${t.object}`;
    let pair = byPair.get(key);
    if (!pair) {
      pair = { key, subject: t.subject, object: t.object, verbs: [] };
      byPair.set(key, pair);
    }
    if (pair.verbs.length < maxVerbsPerPair) pair.verbs.push({ verb: t.verb, score: t.score });
  }
  // interactions are sorted by score, so insertion order is best-first already
  return [...byPair.values()].slice(0, maxPairs);
}

/**
 * An SVG overlay of a result record, sized to the source image (viewBox in source pixels): instance
 * boxes, a line from each human to each object it interacts with, verb labels with scores. Line and
 * text sizes scale with the image so the picture stays legible at any size.
 */
export function overlaySvg(result: HoiResult, options: OverlayOptions = {}): string {
  const [width, height] = result.size;
  const unit = Math.max(1, Math.min(width, height) / 500);
  const stroke = Math.max(2, Math.round(2 * unit));
  const font = Math.max(11, Math.round(13 * unit));
  const pairs = overlayPairs(result, options);
  const used = new Set(pairs.flatMap((p) => [p.subject, p.object]));
  const prefix = options.idPrefix ?? 'hoi';
  const colour = (i: number) =>
    result.instances[i]?.label === 'person' ? HUMAN_COLOUR : PALETTE[i % PALETTE.length]!;
  const centre = (i: number) => {
    const b = result.instances[i]!.box;
    return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] as const;
  };
  // Labels are placed greedily: each tries its preferred spot, then spots above and below it, and takes
  // the first that overlaps no label placed before it, so crowded images stay readable.
  const placed: [number, number, number, number][] = [];
  const overlaps = (a: [number, number, number, number]) =>
    placed.some((b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]);
  const label = (x: number, y: number, text: string, fill: string, attrs = '') => {
    const w = text.length * font * 0.6 + font * 0.6;
    const h = font * 1.35;
    const clampX = (v: number) => Math.min(Math.max(0, v), Math.max(0, width - w));
    const clampY = (v: number) => Math.min(Math.max(0, v), Math.max(0, height - h));
    let lx = clampX(x);
    let ly = clampY(y);
    for (let step = 0; step < 24; step++) {
      const dy = (step % 2 ? 1 : -1) * Math.ceil(step / 2) * h;
      const cand: [number, number, number, number] = [lx, clampY(y + dy), lx + w, clampY(y + dy) + h];
      if (!overlaps(cand)) {
        ly = cand[1];
        break;
      }
    }
    lx = clampX(lx);
    placed.push([lx, ly, lx + w, ly + h]);
    return `<g ${attrs}><rect x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" width="${w.toFixed(1)}" height="${h.toFixed(1)}" rx="${(font / 4).toFixed(1)}" fill="${fill}" fill-opacity="0.85"/><text x="${(lx + font * 0.3).toFixed(1)}" y="${(ly + font * 1.05).toFixed(1)}" font-size="${font}" font-family="DejaVu Sans, Verdana, Arial, sans-serif" fill="#000">${esc(text)}</text></g>`;
  };
  const parts: string[] = [];
  result.instances.forEach((d, i) => {
    if (!used.has(i) && options.interactive !== true) return;
    const [x1, y1, x2, y2] = d.box;
    const attrs = options.interactive ? ` class="inst" id="${prefix}-i${i}"` : '';
    parts.push(
      `<g${attrs}><rect x="${x1.toFixed(1)}" y="${y1.toFixed(1)}" width="${(x2 - x1).toFixed(1)}" height="${(y2 - y1).toFixed(1)}" fill="none" stroke="${colour(i)}" stroke-width="${stroke}" stroke-opacity="${used.has(i) ? 1 : 0.45}"/>`,
      label(x1, y1 - font * 1.4 < 0 ? y1 : y1 - font * 1.4, `${d.label} ${d.score.toFixed(2)}`, colour(i)),
      '</g>',
    );
  });
  for (const p of pairs) {
    const [hx, hy] = centre(p.subject);
    const [ox, oy] = centre(p.object);
    const attrs = options.interactive ? `class="pair" data-pair="${prefix}-${p.key}"` : '';
    const text = p.verbs.map((v) => `${v.verb.replace(/_/g, ' ')} ${v.score.toFixed(2)}`).join(', ');
    parts.push(
      `<g ${attrs}><line x1="${hx.toFixed(1)}" y1="${hy.toFixed(1)}" x2="${ox.toFixed(1)}" y2="${oy.toFixed(1)}" stroke="#ffffff" stroke-width="${stroke * 2.5}" stroke-opacity="0.6"/><line x1="${hx.toFixed(1)}" y1="${hy.toFixed(1)}" x2="${ox.toFixed(1)}" y2="${oy.toFixed(1)}" stroke="${colour(p.object)}" stroke-width="${stroke * 1.5}"/><circle cx="${hx.toFixed(1)}" cy="${hy.toFixed(1)}" r="${stroke * 2}" fill="${HUMAN_COLOUR}"/><circle cx="${ox.toFixed(1)}" cy="${oy.toFixed(1)}" r="${stroke * 2}" fill="${colour(p.object)}"/>`,
      label((hx + ox) / 2, (hy + oy) / 2, text, '#ffffff'),
      '</g>',
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${parts.join('')}</svg>`;
}
