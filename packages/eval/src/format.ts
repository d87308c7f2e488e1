import { hicoDet } from '@hoi/core';
import type { CrossDetectorRow } from './cross-detector.js';
import type { HicoDetResult } from './hico-det-evaluate.js';
import type { VcocoEvaluation } from './vcoco-evaluate.js';

const pct = (v: number | null | undefined, digits = 2) =>
  v === null || v === undefined ? '-' : v.toFixed(digits);

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

/**
 * The readable form of a HICO-DET result (what `hoi eval hico-det` prints without `--json`):
 * mAP in percent with two decimals as papers print them. The JSON keeps full precision.
 */
export function formatHicoDetTable(result: HicoDetResult): string {
  const lines = [
    `HICO-DET mAP (%), protocol ${result.protocol}, ${result.classes} classes`,
    table(
      ['setting', 'Full', 'Rare', 'Non-rare'],
      [
        ['Default', pct(result.default.full), pct(result.default.rare), pct(result.default.nonRare)],
        [
          'Known-Object',
          pct(result.knownObject.full),
          pct(result.knownObject.rare),
          pct(result.knownObject.nonRare),
        ],
      ],
    ),
  ];
  if (result.zeroShot) {
    const z = result.zeroShot;
    lines.push(
      '',
      table(
        [`zero-shot ${z.split}`, 'Unseen', 'Seen', 'Full'],
        [['Default', pct(z.unseen), pct(z.seen), pct(z.full)]],
      ),
    );
  }
  return lines.join('\n');
}

/** `ride bicycle` style names of the 600 official classes, for {@link perClassCsv}. */
export function hicoDetClassNames(): string[] {
  return hicoDet.interactions.map((c) => `${c.verb} ${c.object}`);
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Per-class APs as CSV (`--per-class FILE.csv`): `class_id,class_name,ap` with the 0-based
 * class id, the name, and the AP in percent at full precision (empty for a class the protocol
 * does not evaluate). Works for any result with a `perClass` list.
 */
export function perClassCsv(
  result: { perClass: readonly (number | null)[] },
  classNames: readonly string[],
): string {
  const rows = ['class_id,class_name,ap'];
  result.perClass.forEach((ap, c) => {
    rows.push(`${c},${csvField(classNames[c] ?? '')},${ap === null ? '' : String(ap)}`);
  });
  return `${rows.join('\n')}\n`;
}

/** The cross-detector table: detector, instances per image, mAP per setting and the drop. */
export function formatCrossDetectorTable(rows: readonly CrossDetectorRow[]): string {
  const hasDrop = rows.some((r) => r.drop !== null);
  const head = ['detector', 'inst/img', 'Full', 'Rare', 'Non-rare', 'KO Full', 'KO Rare', 'KO Non-rare'];
  if (hasDrop) head.push('drop', 'KO drop');
  return table(
    head,
    rows.map((r) => {
      const cells = [
        r.detector,
        r.instancesPerImage.toFixed(1),
        pct(r.default.full),
        pct(r.default.rare),
        pct(r.default.nonRare),
        pct(r.knownObject.full),
        pct(r.knownObject.rare),
        pct(r.knownObject.nonRare),
      ];
      if (hasDrop) cells.push(pct(r.drop?.default), pct(r.drop?.knownObject));
      return cells;
    }),
  );
}

/** The readable form of a V-COCO result. */
export function formatVcocoTable(result: VcocoEvaluation): string {
  if (result.layout === 'pairs') {
    return [
      `V-COCO pair-level role AP (%), reduced layout: mean ${pct(result.mean)} over ${result.perClass.filter((v) => v !== null).length} classes`,
      table(
        ['class', 'AP', '#pos'],
        result.classes.map((c, k) => [c, pct(result.perClass[k]), String(result.npos[k])]),
      ),
    ].join('\n');
  }
  const s1 = result.scenario1;
  return [
    `V-COCO role AP (%): Scenario 1 ${pct(s1.mean)}, Scenario 2 ${pct(result.scenario2.mean)} (${s1.classes.length} classes); agent AP ${pct(result.agent.mean)}`,
    table(
      ['class', 'S1', 'S2', '#pos'],
      s1.classes.map((c, k) => [
        c,
        pct(s1.perClass[k]),
        pct(result.scenario2.perClass[k]),
        String(s1.npos[k]),
      ]),
    ),
  ].join('\n');
}
