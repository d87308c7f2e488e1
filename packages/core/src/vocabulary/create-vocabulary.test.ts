import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import { candidatesForObject, findInteraction } from './candidates.js';
import { createVocabulary, extendVocabulary } from './create-vocabulary.js';
import { hicoDet } from './hico-det.js';

describe('createVocabulary', () => {
  it('builds canonical names, indices and missing phrases', () => {
    const v = createVocabulary({
      name: 'kitchen',
      interactions: [
        { verb: 'Stir', object: 'Cooking_Pot' },
        { verb: 'pick up', object: 'cup', phrase: 'lifting a cup' },
        { verb: 'stir', object: 'cup', rare: true },
      ],
    });
    expect(v.verbs).toEqual(['stir', 'pick_up']);
    expect(v.objects).toEqual(['cooking pot', 'cup', 'person']);
    expect(v.humanLabel).toBe('person');
    expect(v.interactions).toEqual([
      { index: 0, verb: 'stir', object: 'cooking pot', phrase: 'stirring a cooking pot' },
      { index: 1, verb: 'pick_up', object: 'cup', phrase: 'lifting a cup' },
      { index: 2, verb: 'stir', object: 'cup', phrase: 'stirring a cup', rare: true },
    ]);
    expect(Object.isFrozen(v.interactions[0])).toBe(true);
  });

  it('accepts any verb when the phrase is given', () => {
    const v = createVocabulary({
      name: 'x',
      interactions: [{ verb: 'r2d2', object: 'droid', phrase: 'beeping at a droid' }],
    });
    expect(v.interactions[0].phrase).toBe('beeping at a droid');
  });

  it('accepts an empty class list', () => {
    const v = createVocabulary({ name: 'empty', interactions: [] });
    expect(v.interactions).toEqual([]);
    expect(v.objects).toEqual(['person']);
    expect(candidatesForObject(v, 'person')).toEqual([]);
  });

  it('keeps given verb and object order and honours noInteractionVerb', () => {
    const v = createVocabulary({
      name: 'x',
      verbs: ['none', 'ride'],
      objects: ['horse', 'person'],
      interactions: [
        { verb: 'ride', object: 'horse' },
        { verb: 'none', object: 'horse' },
      ],
      noInteractionVerb: 'none',
    });
    expect(v.verbs).toEqual(['none', 'ride']);
    expect(candidatesForObject(v, 'horse').map((c) => c.verb)).toEqual(['ride']);
    expect(findInteraction(v, 'none', 'horse')?.index).toBe(1);
  });

  it.each([
    [{ name: '', interactions: [] }, 'name'],
    [{ name: 'x', interactions: 'ride horse' }, 'interactions'],
    [{ name: 'x', interactions: [null] }, 'interactions[0]'],
    [{ name: 'x', interactions: [{ verb: '', object: 'horse' }] }, 'interactions[0].verb'],
    [{ name: 'x', interactions: [{ verb: 'ride', object: ' ' }] }, 'interactions[0].object'],
    [{ name: 'x', interactions: [{ verb: 'ride', object: 'horse', phrase: 3 }] }, 'interactions[0].phrase'],
    [{ name: 'x', interactions: [{ verb: 'ride', object: 'horse', rare: 'yes' }] }, 'interactions[0].rare'],
    [
      {
        name: 'x',
        interactions: [
          { verb: 'ride', object: 'horse' },
          { verb: 'Ride', object: 'Horse' },
        ],
      },
      'interactions[1]',
    ],
    [
      { name: 'x', verbs: ['ride'], interactions: [{ verb: 'feed', object: 'horse' }] },
      'interactions[0].verb',
    ],
    [
      { name: 'x', objects: ['horse'], interactions: [{ verb: 'feed', object: 'cow' }] },
      'interactions[0].object',
    ],
    [{ name: 'x', verbs: ['ride', 'ride'], interactions: [] }, 'verbs[1]'],
    [{ name: 'x', objects: ['dog', 7], interactions: [] }, 'objects[1]'],
    [{ name: 'x', interactions: [], noInteractionVerb: 'none' }, 'noInteractionVerb'],
    [
      {
        name: 'x',
        interactions: [
          { verb: 'ride', object: 'horse' },
          { verb: 'r2d2', object: 'horse' },
        ],
      },
      'interactions[1].verb',
    ],
  ])('rejects %j naming %s', (definition, argument) => {
    let error: unknown;
    try {
      createVocabulary(definition as never);
    } catch (e) {
      error = e;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect((error as Error).message).toContain(argument);
  });
});

describe('extendVocabulary', () => {
  it('adds new verbs, objects and classes after the base, generating phrases', () => {
    const v = extendVocabulary(hicoDet, {
      verbs: ['photograph'],
      interactions: [
        { verb: 'photograph', object: 'dog' },
        { verb: 'ride', object: 'Tractor' },
        { verb: 'sit_on', object: 'sofa', phrase: 'sitting on a sofa' },
      ],
    });
    expect(v.name).toBe('hico-det+custom');
    expect(v.verbs).toHaveLength(118);
    expect(v.verbs[117]).toBe('photograph');
    expect(v.objects).toEqual([...hicoDet.objects, 'tractor', 'sofa']);
    expect(v.interactions).toHaveLength(603);
    expect(v.interactions.slice(600)).toEqual([
      { index: 600, verb: 'photograph', object: 'dog', phrase: 'photographing a dog' },
      { index: 601, verb: 'ride', object: 'tractor', phrase: 'riding a tractor' },
      { index: 602, verb: 'sit_on', object: 'sofa', phrase: 'sitting on a sofa' },
    ]);
    expect(v.noInteractionVerb).toBe('no_interaction');
    expect(candidatesForObject(v, 'dog')).toHaveLength(candidatesForObject(hicoDet, 'dog').length + 1);
    expect(candidatesForObject(v, 'tractor').map((c) => c.phrase)).toEqual(['riding a tractor']);
    // the base is unchanged
    expect(hicoDet.interactions).toHaveLength(600);
    expect(candidatesForObject(hicoDet, 'tractor')).toEqual([]);
  });

  it('accepts an empty extension', () => {
    const v = extendVocabulary(hicoDet, { name: 'same', interactions: [] });
    expect(v.name).toBe('same');
    expect(v.interactions).toEqual(hicoDet.interactions);
  });

  it('rejects a class already in the base, naming it', () => {
    expect(() => extendVocabulary(hicoDet, { interactions: [{ verb: 'ride', object: 'bicycle' }] })).toThrow(
      /interactions\[0\]/,
    );
    expect(() => extendVocabulary(hicoDet, { verbs: 'x' as never, interactions: [] })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('candidatesForObject', () => {
  it.each([['bicycle'], ['Bicycle'], [' bicycle ']])('finds bicycle as %j', (label) => {
    expect(candidatesForObject(hicoDet, label)).toHaveLength(13);
  });

  it.each([['unicorn'], [''], ['bicycles']])('gives [] for %j', (label) => {
    expect(candidatesForObject(hicoDet, label)).toEqual([]);
  });

  it('works on an unfrozen hand-written vocabulary', () => {
    const v = {
      name: 'hand',
      verbs: ['ride'],
      objects: ['horse'],
      interactions: [{ index: 0, verb: 'ride', object: 'horse', phrase: 'riding a horse' }],
    };
    expect(candidatesForObject(v, 'horse')).toHaveLength(1);
    v.interactions.push({ index: 1, verb: 'ride', object: 'horse', phrase: 'again' });
    expect(candidatesForObject(v, 'horse')).toHaveLength(2);
  });
});
