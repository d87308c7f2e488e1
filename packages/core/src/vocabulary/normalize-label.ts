/**
 * Canonical form for comparing object labels and verbs across detectors, datasets and user files:
 * lower case, underscores and runs of white space as one space, trimmed. So `sports_ball`,
 * `Sports Ball` and ` sports  ball ` all compare equal (the result record's rule, protocols.md).
 * Object labels are stored in this form (`dining table`).
 */
export function normalizeLabel(name: string): string {
  return name
    .toLowerCase()
    .replace(/[_\s]+/g, ' ')
    .trim();
}

/**
 * Canonical verb spelling: {@link normalizeLabel}, then spaces as underscores (`Sit On` -> `sit_on`).
 * Verbs keep underscores so a verb is one token in file formats and logs.
 */
export function normalizeVerb(name: string): string {
  return normalizeLabel(name).replace(/ /g, '_');
}
