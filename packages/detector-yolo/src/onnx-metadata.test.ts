import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOnnxMetadataProps } from './onnx-metadata.js';

const fixtures = join(import.meta.dirname, '..', 'test', 'fixtures');

describe('readOnnxMetadataProps', () => {
  it('reads the metadata Ultralytics writes', () => {
    const props = readOnnxMetadataProps(readFileSync(join(fixtures, 'yolov8-dynamic.onnx')));
    expect(props?.imgsz).toBe('[640, 640]');
    expect(props?.stride).toBe('32');
    expect(props?.names?.startsWith("{0: 'person', 1: 'bicycle'")).toBe(true);
  });

  it('returns an empty record for a model without metadata', () => {
    expect(readOnnxMetadataProps(readFileSync(join(fixtures, 'yolo-world-static.onnx')))).toEqual({});
  });

  it.each([
    ['empty bytes', new Uint8Array()],
    ['text', new TextEncoder().encode('this is a text file, not an ONNX model\n')],
    ['truncated length', Uint8Array.from([0x3a, 0x7f, 0x01])],
    ['PNG header', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ])('returns undefined for %s', (_, bytes) => {
    expect(readOnnxMetadataProps(bytes)).toBeUndefined();
  });
});
