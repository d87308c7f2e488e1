import { Redis } from 'ioredis';

/**
 * Every key and every value of a Redis database as text, whatever the value's type (string, hash,
 * set, list, sorted set, stream), for tests that prove something is NOT stored, such as a secret.
 */
export async function dumpRedis(url: string): Promise<string> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  try {
    const parts: string[] = [];
    for (const key of await redis.keys('*')) {
      const type = await redis.type(key);
      const value =
        type === 'string'
          ? await redis.get(key)
          : type === 'hash'
            ? await redis.hgetall(key)
            : type === 'set'
              ? await redis.smembers(key)
              : type === 'list'
                ? await redis.lrange(key, 0, -1)
                : type === 'zset'
                  ? await redis.zrange(key, 0, -1, 'WITHSCORES')
                  : type === 'stream'
                    ? await redis.xrange(key, '-', '+')
                    : `<${type}>`;
      parts.push(`${key}\n${JSON.stringify(value)}`);
    }
    return parts.join('\n');
  } finally {
    redis.disconnect();
  }
}
