/**
 * @hoi/queue: distributed HOI batch runs on BullMQ over Redis. The caller (the `hoi` CLI, or your
 * own program) enqueues images with a plain-data pipeline configuration; workers on any number of
 * machines build the pipeline from that configuration with a processor factory the caller supplies,
 * and store one result record per image. No image is lost or done twice.
 */
export { type FetchImageOptions, fetchImageBytes, isImageUrl } from './fetch-image.js';
export { type FollowHandlers, type FollowOptions, type FollowSummary, followRun } from './follow-run.js';
export {
  createQueueWorker,
  type ImageProcessor,
  isUnrecoverable,
  type ProcessorFactory,
  type QueueImage,
  type QueueWorker,
  type QueueWorkerOptions,
  type RunProcessor,
} from './queue-worker.js';
export { type ConnectRedisOptions, connectRedis, redactRedisUrl } from './redis-connection.js';
export {
  compareImages,
  type EnqueueOptions,
  type EnqueueResult,
  type ImageFailure,
  type ImageJobData,
  type QueueLocation,
  RunClient,
  type RunInfo,
  type RunStatus,
} from './run-client.js';
export {
  assertRunName,
  DEFAULT_KEY_PREFIX,
  DEFAULT_QUEUE_NAME,
  jobIdFor,
  type RunKeys,
  runKeys,
} from './run-keys.js';
export { assertNoSecrets, SECRET_ENV_NAME } from './secrets.js';
