import { assertDetectorConformance, createSyntheticImage } from '@hoi/core/test';
import { describe, expect, it } from 'vitest';
import { createColourBlobDetector } from './colour-blob-detector.js';

describe('the 30-line plugin example', () => {
  it('passes the spec conformance kit', async () => {
    await assertDetectorConformance(createColourBlobDetector({ rgb: [200, 40, 40], label: 'person' }));
  });

  it('finds the red rectangle of the synthetic image in source pixels', async () => {
    const detector = createColourBlobDetector({ rgb: [200, 40, 40], label: 'person' });
    const { instances } = await detector.doDetect(createSyntheticImage(320, 200));
    expect(instances).toEqual([{ box: [32, 40, 112, 180], label: 'person', score: 1 }]);
  });
});
