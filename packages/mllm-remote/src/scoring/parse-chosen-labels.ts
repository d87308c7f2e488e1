import { normalizeLabelToken } from '../prompt/choice-labels.js';

/**
 * Lenient reader of the text fallback's answer, a JSON list of chosen labels such as `["A", "C"]`.
 * Accepts code fences, prose around the list, numbers instead of strings, and a bare comma-separated
 * list. Returns the chosen labels among `validLabels` and whether anything recognisable was found
 * (`parsed: false` means the caller should warn and score zeros).
 */
export function parseChosenLabels(
  text: string,
  validLabels: readonly string[],
): { chosen: Set<string>; parsed: boolean } {
  const valid = new Set(validLabels);
  const chosen = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v !== 'string' && typeof v !== 'number') return;
    const label = normalizeLabelToken(String(v));
    if (label !== undefined && valid.has(label)) chosen.add(label);
  };
  const match = text.match(/\[[^[\]]*\]/);
  if (match) {
    try {
      const value: unknown = JSON.parse(match[0]);
      if (Array.isArray(value)) {
        value.forEach(add);
        return { chosen, parsed: true };
      }
    } catch {
      // Not strict JSON (e.g. [A, C]): read the bracket's items below.
    }
    for (const item of match[0].slice(1, -1).split(',')) add(item);
    return { chosen, parsed: true };
  }
  const trimmed = text.trim();
  if (/^[\w\s,."'()]+$/.test(trimmed) && trimmed.length > 0) {
    for (const item of trimmed.split(/[\s,]+/)) add(item);
    if (chosen.size > 0) return { chosen, parsed: true };
  }
  return { chosen, parsed: false };
}
