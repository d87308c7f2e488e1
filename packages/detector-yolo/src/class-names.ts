/**
 * Parses the class names Ultralytics writes into an ONNX file's metadata: a Python dict literal such as
 * `{0: 'person', 1: 'bicycle', 2: "o'neil"}`. Also accepts JSON (`{"0": "person"}` or `["person"]`).
 * Lenient on purpose: files written by other tools vary in quoting and spacing. Returns the names in
 * index order, or `undefined` when the text holds no names or the indices have gaps.
 */
export function parseClassNames(text: string | undefined): string[] | undefined {
  if (!text) return undefined;
  const trimmed = text.trim();
  try {
    const json = JSON.parse(trimmed) as unknown;
    if (Array.isArray(json) && json.every((v) => typeof v === 'string')) {
      return json.length > 0 ? (json as string[]) : undefined;
    }
    if (json && typeof json === 'object') return fromEntries(Object.entries(json as Record<string, unknown>));
  } catch {
    // Not JSON: fall through to the Python-literal reader.
  }
  // Python dict: integer key, colon, a single- or double-quoted string with backslash escapes.
  const entries: [string, unknown][] = [];
  const pattern = /(-?\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  for (const m of trimmed.matchAll(pattern)) {
    const raw = m[2] ?? m[3] ?? '';
    entries.push([m[1]!, raw.replace(/\\(.)/g, '$1')]);
  }
  if (entries.length === 0) {
    // Python list of strings: ['person', 'bicycle'].
    const list = [...trimmed.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)].map((m) =>
      (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1'),
    );
    return trimmed.startsWith('[') && list.length > 0 ? list : undefined;
  }
  return fromEntries(entries);
}

function fromEntries(entries: [string, unknown][]): string[] | undefined {
  if (entries.length === 0) return undefined;
  const names: string[] = [];
  for (const [k, v] of entries) {
    const i = Number(k);
    if (!Number.isInteger(i) || i < 0 || typeof v !== 'string') return undefined;
    names[i] = v;
  }
  for (let i = 0; i < names.length; i++) if (names[i] === undefined) return undefined;
  return names;
}
