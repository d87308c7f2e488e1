import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import { candidatesForObject } from './candidates.js';
import { createVocabulary } from './create-vocabulary.js';
import { parseVocabularyFile } from './vocabulary-file.js';

describe('parseVocabularyFile', () => {
  it('extends hico-det with objects and "verb object" strings', () => {
    const v = parseVocabularyFile(
      JSON.stringify({
        extends: 'hico-det',
        interactions: [
          { verb: 'photograph', object: 'dog' },
          'sit_on sofa',
          'feed hot_dog stand',
          { verb: 'stir', object: 'pot', phrase: 'stirring a pot' },
        ],
      }),
    );
    expect(v.name).toBe('hico-det+custom');
    expect(v.interactions.slice(600).map((c) => [c.index, c.verb, c.object, c.phrase])).toEqual([
      [600, 'photograph', 'dog', 'photographing a dog'],
      [601, 'sit_on', 'sofa', 'sitting on a sofa'],
      [602, 'feed', 'hot dog stand', 'feeding a hot dog stand'],
      [603, 'stir', 'pot', 'stirring a pot'],
    ]);
  });

  it('extends vcoco', () => {
    const v = parseVocabularyFile('{"name":"v+","extends":"vcoco","interactions":["kick frisbee"]}');
    expect(v.name).toBe('v+');
    expect(candidatesForObject(v, 'frisbee').map((c) => c.verb)).toContain('kick');
  });

  it('reads a vocabulary of its own', () => {
    const v = parseVocabularyFile(
      JSON.stringify({
        name: 'farm',
        humanLabel: 'farmer',
        noInteractionVerb: 'none',
        interactions: ['milk cow', 'none cow', 'ride horse'],
      }),
    );
    expect(v.objects).toEqual(['cow', 'horse', 'farmer']);
    expect(v.humanLabel).toBe('farmer');
    expect(candidatesForObject(v, 'cow').map((c) => c.phrase)).toEqual(['milking a cow']);
  });

  it('accepts extends that repeats the base humanLabel and noInteractionVerb', () => {
    const v = parseVocabularyFile(
      '{"extends":"hico-det","humanLabel":"Person","noInteractionVerb":"no interaction","interactions":[]}',
    );
    expect(v.interactions).toHaveLength(600);
  });

  it('accepts an empty class list', () => {
    expect(parseVocabularyFile('{"name":"e","interactions":[]}').interactions).toEqual([]);
  });

  it('resolves extends against given bases', () => {
    const base = createVocabulary({
      name: 'mine',
      interactions: ['ride horse'].map((s) => ({ verb: 'ride', object: s.split(' ')[1] })),
    });
    const v = parseVocabularyFile('{"extends":"mine","interactions":["feed horse"]}', {
      bases: { mine: base },
    });
    expect(v.interactions.map((c) => c.verb)).toEqual(['ride', 'feed']);
  });

  it.each([
    ['not json', 'vocabulary file'],
    ['[]', 'vocabulary file'],
    ['{"name":"x"}', 'interactions'],
    ['{"name":"x","interaction":[]}', 'interaction'],
    ['{"extends":"coco","interactions":[]}', 'extends'],
    ['{"extends":"hico-det","interactions":["ride"]}', 'interactions[0]'],
    ['{"extends":"hico-det","interactions":[5]}', 'interactions[0]'],
    ['{"extends":"hico-det","interactions":["ride bicycle"]}', 'interactions[0]'],
    ['{"extends":"hico-det","humanLabel":"farmer","interactions":[]}', 'humanLabel'],
    ['{"interactions":["ride horse"]}', 'name'],
    ['{"name":"x","verbs":"ride","interactions":[]}', 'verbs'],
  ])('rejects %s naming %s', (text, argument) => {
    let error: unknown;
    try {
      parseVocabularyFile(text);
    } catch (e) {
      error = e;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe(argument);
  });
});
