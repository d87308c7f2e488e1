import { describe, expect, it } from 'vitest';
import { createDetectorFromFlags } from './create-detector.js';
import { createRecognizerFromFlags } from './create-recognizer.js';
import { parseModelSpec } from './parse-model-spec.js';
import { resolveVocabulary } from './resolve-vocabulary.js';

describe('parseModelSpec', () => {
  it.each([
    ['yolo:models/a.onnx', { kind: 'yolo', location: 'models/a.onnx' }],
    ['remote:http://localhost:8000/v1', { kind: 'remote', location: 'http://localhost:8000/v1' }],
    ['CenterNet', { kind: 'centernet', location: '' }],
  ])('%s', (value, expected) => {
    expect(parseModelSpec(value, '--x', ['yolo', 'remote', 'centernet'])).toEqual(expected);
  });

  it('names the flag and the accepted kinds', () => {
    expect(() => parseModelSpec('ssd:x', '--detector', ['yolo', 'detr'])).toThrow(
      /Invalid argument `--detector`: expected one of yolo:\.\.\., detr:\.\.\., got "ssd:x"/,
    );
  });
});

describe('flag factories', () => {
  it.each([
    [() => createDetectorFromFlags({ detector: 'yolo' }), '--detector', /yolo:PATH/],
    [
      () => createRecognizerFromFlags({ recognizer: 'remote:http://127.0.0.1:9/v1' }),
      '--model',
      /model name/,
    ],
    [() => createRecognizerFromFlags({ recognizer: 'clip' }), '--recognizer', /clip:PATH_OR_ID/],
  ])('refuses incomplete flags (%#)', async (make, argument, message) => {
    await expect(make()).rejects.toMatchObject({ argument, message: expect.stringMatching(message) });
  });

  it.each(['qwen2.5-vl', 'clip', 'dm'])('%s: a missing model folder is an error naming it', async (kind) => {
    await expect(
      createRecognizerFromFlags({ recognizer: `${kind}:/nonexistent/model-folder` }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('/nonexistent/model-folder'),
    });
  });

  it('refuses a remote strategy for a local VLM', async () => {
    await expect(
      createRecognizerFromFlags({ recognizer: 'qwen2.5-vl:/x', strategy: 'text' }),
    ).rejects.toMatchObject({ argument: '--strategy' });
  });

  it('loads a yolo path that does not exist with a model-load error naming it', async () => {
    await expect(createDetectorFromFlags({ detector: 'yolo:/nonexistent/model.onnx' })).rejects.toMatchObject(
      {
        message: expect.stringContaining('/nonexistent/model.onnx'),
      },
    );
  });
});

describe('resolveVocabulary', () => {
  it.each([
    [undefined, 'hico-det', 600],
    ['vcoco', 'vcoco', undefined],
  ])('%s', async (value, name, count) => {
    const v = await resolveVocabulary(value);
    expect(v.name).toBe(name);
    if (count) expect(v.interactions).toHaveLength(count);
  });

  it('refuses an unreadable file with the accepted values', async () => {
    await expect(resolveVocabulary('/nope.json')).rejects.toMatchObject({ argument: '--vocabulary' });
  });
});
