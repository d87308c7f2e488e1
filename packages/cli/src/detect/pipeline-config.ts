import { DEFAULT_MAX_PIXELS } from '@hoi/core';

/**
 * Everything that defines what a detect run computes. Plain data, so it travels unchanged to worker
 * threads (and to other machines), and every worker builds the same pipeline from it.
 */
export interface PipelineConfig {
  detector?: string;
  recognizer?: string;
  model?: string;
  strategy?: string;
  vocabulary?: string;
  /** `prior` to put the embedded prior in front of the recognizer as an interactiveness filter. */
  interactiveness?: string;
  interactivenessThreshold: number;
  scoreThreshold?: number;
  topK: number;
  minScore: number;
  maxPixels: number;
  pose: boolean;
  executionProviders?: string[];
  /** Ground-truth annotation file: use its boxes instead of a detector. */
  gtBoxes?: string;
  includeFactors: boolean;
}

export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = {
  interactivenessThreshold: 0.15,
  topK: 100,
  minScore: 0,
  maxPixels: DEFAULT_MAX_PIXELS,
  pose: true,
  includeFactors: false,
};
