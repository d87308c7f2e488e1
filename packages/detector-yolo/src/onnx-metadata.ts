import { TextDecoder } from 'node:util';

/**
 * Reads the custom metadata (`metadata_props`, field 14 of ModelProto) of an ONNX file.
 *
 * Hand-written because onnxruntime-node 1.30 exposes only input/output metadata, not the model's
 * custom metadata where Ultralytics stores `names`, `imgsz` and `stride`; and decoding the whole
 * ModelProto with a protobuf library would copy every weight. This walks only the top-level fields
 * and skips the graph by its length prefix.
 *
 * Returns `undefined` when the bytes are not a well-formed ModelProto at the top level.
 */
export function readOnnxMetadataProps(bytes: Uint8Array): Record<string, string> | undefined {
  const props: Record<string, string> = {};
  let pos = 0;
  let sawGraph = false;
  const decoder = new TextDecoder();
  const varint = (): number | undefined => {
    let result = 0;
    let shift = 0;
    while (pos < bytes.length) {
      const b = bytes[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
      if (shift > 63) return undefined;
    }
    return undefined;
  };
  while (pos < bytes.length) {
    const key = varint();
    if (key === undefined || key === 0) return undefined;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) {
      if (varint() === undefined) return undefined;
    } else if (wire === 1) {
      pos += 8;
    } else if (wire === 5) {
      pos += 4;
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined || pos + len > bytes.length) return undefined;
      if (field === 7) sawGraph = true;
      if (field === 14) {
        const entry = readStringPair(bytes.subarray(pos, pos + len), decoder);
        if (entry) props[entry[0]] = entry[1];
      }
      pos += len;
    } else {
      return undefined;
    }
  }
  return pos === bytes.length && sawGraph ? props : undefined;
}

function readStringPair(bytes: Uint8Array, decoder: TextDecoder): [string, string] | undefined {
  let pos = 0;
  let key = '';
  let value = '';
  while (pos < bytes.length) {
    const tag = bytes[pos++]!;
    if ((tag & 7) !== 2) return undefined;
    let len = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++];
      if (b === undefined) return undefined;
      len += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      shift += 7;
    }
    const text = decoder.decode(bytes.subarray(pos, pos + len));
    pos += len;
    if (tag >> 3 === 1) key = text;
    else if (tag >> 3 === 2) value = text;
  }
  return [key, value];
}
