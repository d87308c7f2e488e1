import type { Redis } from 'ioredis';
import type { RunKeys } from './run-keys.js';

/**
 * Records an image as failed for good, unless it already has a result, or the run no longer has the
 * job's epoch (Redis lost the run, or it was removed: nothing stray is written into a new run): a job can be failed by BullMQ
 * (too many stalls) while a slow but living worker still completes it, and a result always wins.
 * Check and write happen in one Lua script, so no result can slip in between. Returns true when
 * the failure was recorded (and announced on the run's event stream).
 */
export async function recordFailure(
  redis: Redis,
  keys: RunKeys,
  image: string,
  epoch: string,
  failure: { message: string; attempts: number; failedAt: string },
): Promise<boolean> {
  const recorded = await redis.eval(
    `if redis.call('HGET', KEYS[4], 'epoch') ~= ARGV[3] then return 0 end
     if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
     redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
     redis.call('XADD', KEYS[3], '*', 'image', ARGV[1], 'status', 'failed')
     return 1`,
    4,
    keys.results,
    keys.failed,
    keys.events,
    keys.meta,
    image,
    JSON.stringify(failure),
    epoch,
  );
  return recorded === 1;
}
