/**
 * @hoi/recognizer-prior: the embedded offline interaction recognizer. A layout prior fitted on V-COCO
 * trainval plus MoveNet pose contact cues; also the cheap interactiveness filter in front of
 * expensive recognizers.
 */
export { createPriorRecognizer, combineWithCues, noisyOr, DEFAULT_UNKNOWN_VERB_FACTOR, MIN_POSE_PERSON_HEIGHT, type PriorRecognizerOptions } from './prior-recognizer.js';
export { PRIOR_ACTIONS, buildVerbIndex, type PriorAction, type CueName } from './action-map.js';
export {
  createLayoutPrior,
  loadLayoutPrior,
  validateLayoutPriorWeights,
  INTERACTS_HEAD,
  type LayoutPrior,
  type LayoutPriorWeights,
} from './layout-prior-model.js';
export { contactCues, distanceToBox, KEYPOINT_MIN_SCORE, CUE_DISTANCE_SCALE, type ContactCues } from './pose/contact-cues.js';
export {
  MoveNetPoseEstimator,
  MOVENET_KEYPOINTS,
  MOVENET_INPUT_SIZE,
  POSE_CROP_MARGIN,
  poseCropBox,
  defaultMoveNetPath,
  type Keypoint,
  type KeypointName,
  type PersonPose,
} from './pose/movenet.js';
export { averagePrecision } from './average-precision.js';
