import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/hoi-error.js';
import { hicoDet } from './hico-det.js';
import { gerund, indefiniteArticle, nounPhrase, VERB_PHRASE_OVERRIDES, verbPhrase } from './verb-phrase.js';

describe('gerund', () => {
  it.each([
    // consonant doubling in one-syllable CVC verbs
    ['sit', 'sitting'],
    ['run', 'running'],
    ['swim', 'swimming'],
    ['stab', 'stabbing'],
    ['stir', 'stirring'],
    ['hop', 'hopping'],
    ['quit', 'quitting'],
    ['yap', 'yapping'],
    // no doubling: w/x/y, two vowels, two consonants, two syllables
    ['row', 'rowing'],
    ['text', 'texting'],
    ['pay', 'paying'],
    ['shear', 'shearing'],
    ['peel', 'peeling'],
    ['kick', 'kicking'],
    ['open', 'opening'],
    ['exit', 'exiting'],
    ['visit', 'visiting'],
    // e-drop and its exceptions
    ['ride', 'riding'],
    ['squeeze', 'squeezing'],
    ['see', 'seeing'],
    ['hoe', 'hoeing'],
    ['tie', 'tying'],
    ['lie', 'lying'],
    ['be', 'being'],
    // vowel endings
    ['ski', 'skiing'],
    ['lasso', 'lassoing'],
    ['fly', 'flying'],
    // overrides
    ['control', 'controlling'],
    ['picnic', 'picnicking'],
    ['Ride', 'riding'],
    // hyphenated verbs inflect the last part
    ['high-five', 'high-fiving'],
    ['x-ray', 'x-raying'],
  ])('%s -> %s', (verb, expected) => {
    expect(gerund(verb)).toBe(expected);
  });

  it.each([[''], ['sit on'], ['-ray'], ['x-'], ['9']])('rejects %j', (verb) => {
    expect(() => gerund(verb)).toThrow(InvalidArgumentError);
  });
});

describe('indefiniteArticle and nounPhrase', () => {
  it.each([
    ['bicycle', 'a bicycle'],
    ['airplane', 'an airplane'],
    ['umbrella', 'an umbrella'],
    ['elephant', 'an elephant'],
    ['orange', 'an orange'],
    ['oven', 'an oven'],
    ['tv', 'a tv'],
    ['unicycle', 'a unicycle'],
    ['hourglass', 'an hourglass'],
    ['sports_ball', 'a sports ball'],
    ['Dining Table', 'a dining table'],
    ['skis', 'skis'],
    ['scissors', 'scissors'],
    ['apples', 'apples'],
    ['glasses', 'glasses'],
    ['bus', 'a bus'],
    ['glass', 'a glass'],
    ['lens', 'a lens'],
    ['the moon', 'the moon'],
    ['sheep', 'a sheep'],
  ])('%s -> %s', (label, expected) => {
    expect(nounPhrase(label)).toBe(expected);
  });

  it('picks the article alone', () => {
    expect(indefiniteArticle('apple')).toBe('an');
    expect(indefiniteArticle('user')).toBe('a');
    expect(indefiniteArticle('zebra')).toBe('a');
  });

  it('rejects an empty label', () => {
    expect(() => nounPhrase('  ')).toThrow(InvalidArgumentError);
  });
});

describe('verbPhrase', () => {
  it.each([
    ['sit_on', 'bicycle', 'sitting on a bicycle'],
    ['sit on', 'bicycle', 'sitting on a bicycle'],
    ['pick_up', 'cake', 'picking up a cake'],
    ['stand_under', 'umbrella', 'standing under an umbrella'],
    ['ride', 'horse', 'riding a horse'],
    ['wear', 'skis', 'wearing skis'],
    ['cut_with', 'scissors', 'cutting with scissors'],
    ['talk_on_phone', 'cell phone', 'talking on a cell phone'],
    ['work_on_computer', 'laptop', 'working on a laptop'],
    ['brush_teeth', 'toothbrush', 'brushing teeth with a toothbrush'],
    ['photograph', 'dog', 'photographing a dog'],
    ['wave', 'bus', 'waving at a bus'],
    ['no_interaction', 'bicycle', 'not interacting with a bicycle'],
  ])('%s + %s -> %s', (verb, object, expected) => {
    expect(verbPhrase(verb, object)).toBe(expected);
  });

  it.each([
    ['talk_on_phone', 'talking on a phone'],
    ['pick_up', 'picking up'],
    ['swim', 'swimming'],
    ['no_interaction', 'not interacting'],
  ])('without an object: %s -> %s', (verb, expected) => {
    expect(verbPhrase(verb)).toBe(expected);
  });

  it('rejects an empty verb', () => {
    expect(() => verbPhrase('', 'dog')).toThrow(InvalidArgumentError);
    expect(() => verbPhrase('_', 'dog')).toThrow(InvalidArgumentError);
  });

  it('reproduces every HICO-DET class phrase (all 117 verbs, 600 classes); exceptions only via the override table', () => {
    const mismatches = hicoDet.interactions
      .filter((c) => verbPhrase(c.verb, c.object) !== c.phrase)
      .map((c) => `${c.verb} ${c.object}: ${verbPhrase(c.verb, c.object)} != ${c.phrase}`);
    expect(mismatches).toEqual([]);
    expect(new Set(hicoDet.interactions.map((c) => c.verb)).size).toBe(117);
    // The overrides are needed: without them the rule says "waving a bus".
    expect(Object.keys(VERB_PHRASE_OVERRIDES)).toEqual(['wave']);
    expect(hicoDet.interactions.find((c) => c.verb === 'wave')?.phrase).toBe('waving at a bus');
  });
});
