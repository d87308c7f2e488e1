/**
 * Checks that a value is a valid result record (protocols.md): image name, [width, height], instances
 * with x1,y1,x2,y2 boxes, labels and scores, and interactions whose subject/object index into instances.
 * Returns the list of problems, empty when the record is valid; extra fields are allowed.
 */
export function checkResultRecord(record: unknown): string[] {
  const problems: string[] = [];
  const r = record as Record<string, unknown>;
  if (typeof record !== 'object' || record === null || Array.isArray(record))
    return ['the record must be a JSON object'];
  if (typeof r.image !== 'string' || r.image.length === 0) problems.push('image must be a non-empty string');
  const size = r.size as unknown[];
  if (
    !Array.isArray(size) ||
    size.length !== 2 ||
    !size.every((v) => Number.isInteger(v) && (v as number) > 0)
  ) {
    problems.push('size must be [width, height], positive integers');
  }
  const instances = r.instances as Record<string, unknown>[];
  if (!Array.isArray(instances)) {
    problems.push('instances must be an array');
    return problems;
  }
  instances.forEach((d, i) => {
    const b = d?.box as number[];
    if (!Array.isArray(b) || b.length !== 4 || !b.every(Number.isFinite) || b[2]! < b[0]! || b[3]! < b[1]!) {
      problems.push(`instances[${i}].box must be [x1, y1, x2, y2] with x1 <= x2, y1 <= y2`);
    }
    if (typeof d?.label !== 'string' || d.label.length === 0)
      problems.push(`instances[${i}].label must be a non-empty string`);
    if (typeof d?.score !== 'number' || !(d.score >= 0 && d.score <= 1))
      problems.push(`instances[${i}].score must be in [0, 1]`);
  });
  const interactions = r.interactions as Record<string, unknown>[];
  if (!Array.isArray(interactions)) {
    problems.push('interactions must be an array');
    return problems;
  }
  interactions.forEach((t, i) => {
    for (const key of ['subject', 'object'] as const) {
      const v = t?.[key];
      if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= instances.length) {
        problems.push(`interactions[${i}].${key} must index into instances (0..${instances.length - 1})`);
      }
    }
    if (t?.subject === t?.object) problems.push(`interactions[${i}] pairs an instance with itself`);
    if (typeof t?.verb !== 'string' || t.verb.length === 0)
      problems.push(`interactions[${i}].verb must be a non-empty string`);
    if (typeof t?.score !== 'number' || !Number.isFinite(t.score))
      problems.push(`interactions[${i}].score must be a finite number`);
    if (i > 0 && typeof t?.score === 'number' && (interactions[i - 1]!.score as number) < t.score) {
      problems.push(`interactions must be sorted by descending score (at ${i})`);
    }
  });
  return problems;
}
