/**
 * @hoi/queue/test: helpers for tests that need a real Redis (started on a free local port, without
 * persistence) rather than a mock.
 */

export { dumpRedis } from './dump-redis.js';
export { type FixedCostConfig, fixedCostProcessor } from './fixed-cost-processor.js';
export {
  freePort,
  hasRedisServer,
  REDIS_SERVER_BIN,
  startRedisServer,
  type TestRedisServer,
} from './redis-server.js';
