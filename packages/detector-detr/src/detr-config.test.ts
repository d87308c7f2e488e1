import { describe, expect, it } from 'vitest';
import {
  activationForModelType,
  defaultPreprocessing,
  IMAGENET_MEAN,
  isPlaceholderLabel,
  labelsFromId2Label,
  readPreprocessing,
} from './detr-config.js';

describe('detr-config', () => {
  it.each([
    ['detr', 'softmax'],
    ['yolos', 'softmax'],
    ['deformable_detr', 'sigmoid'],
    ['conditional_detr', 'sigmoid'],
    ['rt_detr', 'sigmoid'],
    ['rt_detr_v2', 'sigmoid'],
    ['d_fine', 'sigmoid'],
    ['owlv2', undefined],
    [undefined, undefined],
  ])('%s -> %s', (type, activation) => {
    expect(activationForModelType(type)).toBe(activation);
  });

  it('family defaults', () => {
    expect(defaultPreprocessing('rt_detr')).toEqual({
      resize: { width: 640, height: 640 },
      rescaleFactor: 1 / 255,
    });
    expect(defaultPreprocessing('detr').resize).toEqual({ shortestEdge: 800, longestEdge: 1333 });
    expect(defaultPreprocessing(undefined).normalize?.mean).toEqual(IMAGENET_MEAN);
  });

  it.each([
    [{ size: { shortest_edge: 600, longest_edge: 1000 } }, { shortestEdge: 600, longestEdge: 1000 }],
    [
      { size: 512, max_size: 900 },
      { shortestEdge: 512, longestEdge: 900 },
    ],
    [{ size: { height: 320, width: 480 } }, { width: 480, height: 320 }],
    [{}, { shortestEdge: 800, longestEdge: 1333 }],
  ])('reads size %j', (config, resize) => {
    expect(readPreprocessing(config, defaultPreprocessing('detr')).resize).toEqual(resize);
  });

  it('reads normalisation switches', () => {
    const base = defaultPreprocessing('detr');
    expect(readPreprocessing({ do_normalize: false }, base).normalize).toBeUndefined();
    expect(readPreprocessing({ do_rescale: false }, base).rescaleFactor).toBe(1);
    expect(
      readPreprocessing({ image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] }, base).normalize,
    ).toEqual({
      mean: [0.5, 0.5, 0.5],
      std: [0.5, 0.5, 0.5],
    });
    expect(readPreprocessing(undefined, base)).toBe(base);
  });

  it('id2label with gaps fills N/A; empty gives undefined', () => {
    expect(labelsFromId2Label({ '0': 'a', '2': 'c' })).toEqual(['a', 'N/A', 'c']);
    expect(labelsFromId2Label({})).toBeUndefined();
    expect(labelsFromId2Label(undefined)).toBeUndefined();
  });

  it.each([
    ['N/A', true],
    ['', true],
    [undefined, true],
    ['person', false],
  ])('placeholder %s -> %s', (label, expected) => {
    expect(isPlaceholderLabel(label)).toBe(expected);
  });
});
