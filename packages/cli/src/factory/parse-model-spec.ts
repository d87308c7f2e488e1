import { InvalidArgumentError } from '@hoi/core';

/** A `kind:location` flag value, e.g. `yolo:models/yolo11n.onnx` or `remote:http://localhost:8000/v1`. */
export interface ModelSpec {
  kind: string;
  /** Everything after the first colon; empty when absent. */
  location: string;
}

/** Splits `kind:location` at the first colon (URLs keep theirs). */
export function parseModelSpec(value: string, flag: string, kinds: readonly string[]): ModelSpec {
  const at = value.indexOf(':');
  const kind = (at < 0 ? value : value.slice(0, at)).toLowerCase();
  const location = at < 0 ? '' : value.slice(at + 1);
  if (!kinds.includes(kind)) {
    throw new InvalidArgumentError(flag, `one of ${kinds.map((k) => `${k}:...`).join(', ')}`, value);
  }
  return { kind, location };
}
