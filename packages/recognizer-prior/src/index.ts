/**
 * @hoi/recognizer-prior: the embedded offline interaction recognizer. A layout prior fitted on V-COCO
 * trainval plus MoveNet pose contact cues; also the cheap interactiveness filter in front of
 * expensive recognizers.
 */

export { buildVerbIndex, type CueName, PRIOR_ACTIONS, type PriorAction } from './action-map.js';
export { averagePrecision } from './average-precision.js';
export {
  createLayoutPrior,
  INTERACTS_HEAD,
  type LayoutPrior,
  type LayoutPriorWeights,
  loadLayoutPrior,
  validateLayoutPriorWeights,
} from './layout-prior-model.js';
export {
  type ContactCues,
  CUE_DISTANCE_SCALE,
  contactCues,
  distanceToBox,
  KEYPOINT_MIN_SCORE,
} from './pose/contact-cues.js';
export {
  defaultMoveNetPath,
  type Keypoint,
  type KeypointName,
  MOVENET_INPUT_SIZE,
  MOVENET_KEYPOINTS,
  MoveNetPoseEstimator,
  type PersonPose,
  POSE_CROP_MARGIN,
  poseCropBox,
} from './pose/movenet.js';
export {
  combineWithCues,
  createPriorRecognizer,
  DEFAULT_UNKNOWN_VERB_FACTOR,
  MIN_POSE_PERSON_HEIGHT,
  noisyOr,
  type PriorRecognizerOptions,
} from './prior-recognizer.js';
