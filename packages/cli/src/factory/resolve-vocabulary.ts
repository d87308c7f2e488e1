import { readFile } from 'node:fs/promises';
import type { Vocabulary } from '@hoi/core';
import { hicoDet, InvalidArgumentError, parseVocabularyFile, vcoco } from '@hoi/core';

/** `hico-det` (default), `vcoco`, or a path to a vocabulary JSON file (which may extend either). */
export async function resolveVocabulary(value: string | undefined): Promise<Vocabulary> {
  const name = (value ?? 'hico-det').toLowerCase();
  if (name === 'hico-det' || name === 'hicodet' || name === 'hico') return hicoDet;
  if (name === 'vcoco' || name === 'v-coco') return vcoco;
  let text: string;
  try {
    text = await readFile(value!, 'utf8');
  } catch {
    throw new InvalidArgumentError(
      '--vocabulary',
      'hico-det, vcoco, or the path of a vocabulary JSON file',
      value,
    );
  }
  return parseVocabularyFile(text);
}
