import { throwIfAborted } from '../errors/hoi-error.js';
import type { DetectedInstance } from '../spec/detector.js';
import type {
  InteractionCandidate,
  InteractionPair,
  InteractionRecognizer,
  RecognizeOptions,
  RecognizeResult,
} from '../spec/recognizer.js';

export interface MockRecognizerOptions {
  /** Score of one candidate for one pair, in [0, 1]. */
  score: (context: {
    pair: InteractionPair;
    candidate: InteractionCandidate;
    subject: DetectedInstance;
    object: DetectedInstance;
  }) => number;
  /** Interactiveness of a pair; when given, capabilities.interactiveness is true. */
  interactiveness?: (context: {
    pair: InteractionPair;
    subject: DetectedInstance;
    object: DetectedInstance;
  }) => number;
  maxPairsPerCall?: number;
  provider?: string;
}

/** A recognizer computing scores with given functions and recording every call. */
export interface MockRecognizer extends InteractionRecognizer {
  /** Every `doRecognize` call: the pairs and candidate table it received. */
  readonly calls: { pairs: InteractionPair[]; candidates: InteractionCandidate[]; instanceCount: number }[];
}

/** Creates a {@link MockRecognizer}, for pipeline tests whose expected scores are computed by hand. */
export function createMockRecognizer(options: MockRecognizerOptions): MockRecognizer {
  const calls: MockRecognizer['calls'] = [];
  return {
    specificationVersion: 'v1',
    provider: options.provider ?? 'mock',
    modelId: 'mock-recognizer',
    capabilities: {
      maxPairsPerCall: options.maxPairsPerCall,
      interactiveness: options.interactiveness !== undefined,
      openVocabulary: true,
    },
    calls,
    async doRecognize(request: RecognizeOptions): Promise<RecognizeResult> {
      calls.push({
        pairs: request.pairs.map((p) => ({ ...p, candidates: [...p.candidates] })),
        candidates: [...request.candidates],
        instanceCount: request.instances.length,
      });
      throwIfAborted(request.signal);
      return {
        warnings: [],
        pairs: request.pairs.map((pair) => {
          const subject = request.instances[pair.subject]!;
          const object = request.instances[pair.object]!;
          return {
            scores: pair.candidates.map((c) =>
              options.score({ pair, candidate: request.candidates[c]!, subject, object }),
            ),
            interactiveness: options.interactiveness?.({ pair, subject, object }),
          };
        }),
      };
    },
  };
}
