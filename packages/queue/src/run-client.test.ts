import { describe, expect, it } from 'vitest';
import { redisSkipReason, useRedisRunClient } from '../test/support.js';
import { connectRedis } from './redis-connection.js';
import { jobIdFor } from './run-keys.js';
import { dumpRedis } from './testing/dump-redis.js';

const skip = redisSkipReason();

describe.skipIf(skip !== '')(`RunClient against a real redis-server${skip}`, () => {
  const ctx = useRedisRunClient();

  it('enqueues one job per image; the same batch again adds nothing', async () => {
    const images = ['/data/b.jpg', '/data/a.jpg', 'http://example.test/c.png'];
    const first = await ctx.client.enqueue({ run: 'idem', config: { sleepMs: 1 }, images });
    expect(first).toMatchObject({ added: 3, total: 3, created: true });
    const again = await ctx.client.enqueue({ run: 'idem', config: { sleepMs: 1 }, images });
    expect(again).toMatchObject({ added: 0, total: 3, created: false, epoch: first.epoch });
    expect(await ctx.client.queue.getJobCountByTypes('waiting', 'active', 'delayed')).toBe(3);
    const job = await ctx.client.queue.getJob(jobIdFor('idem', '/data/a.jpg', first.epoch));
    expect(job?.data).toEqual({ run: 'idem', image: '/data/a.jpg', epoch: first.epoch });
    expect(await ctx.client.status('idem')).toMatchObject({
      exists: true,
      total: 3,
      done: 0,
      failed: 0,
      pending: 3,
    });
  });

  it('adds only new images of a grown batch, and nothing for an empty one', async () => {
    const base = { run: 'grow', config: { sleepMs: 1 } };
    await ctx.client.enqueue({ ...base, images: ['/x/1.jpg'] });
    expect((await ctx.client.enqueue({ ...base, images: ['/x/1.jpg', '/x/2.jpg'] })).added).toBe(1);
    expect(await ctx.client.enqueue({ ...base, images: [] })).toMatchObject({ added: 0, total: 2 });
  });

  it('refuses the same run name with another configuration, and bad run names', async () => {
    await ctx.client.enqueue({ run: 'cfg', config: { sleepMs: 1 }, images: ['/a.jpg'] });
    await expect(
      ctx.client.enqueue({ run: 'cfg', config: { sleepMs: 2 }, images: ['/a.jpg'] }),
    ).rejects.toThrow(/different pipeline configuration/);
    for (const run of ['', 'a:b', 'has space', '-x', 'x'.repeat(101)])
      await expect(ctx.client.enqueue({ run, config: {}, images: [] })).rejects.toThrow(/run name/);
  });

  it('job ids are deterministic, distinct per run and image, and valid for BullMQ', () => {
    const cases: [string, string, string][] = [
      ['r2', '/a.jpg', 'e1'], // another run
      ['r', '/b.jpg', 'e1'], // another image
      ['r', '/a.jpg', 'e2'], // the run created afresh
      ['r\n/a.jpg', '', 'e1'], // no ambiguity from the separator
      ['', '', ''],
    ];
    expect(jobIdFor('r', '/a.jpg', 'e1')).toBe(jobIdFor('r', '/a.jpg', 'e1'));
    for (const [run, image, epoch] of cases)
      expect(jobIdFor(run, image, epoch)).not.toBe(jobIdFor('r', '/a.jpg', 'e1'));
    expect(jobIdFor('r', 'x', 'e')).toMatch(/^j[0-9a-f]{40}$/);
  });

  it('stores no secret of the enqueuer environment anywhere in Redis', async () => {
    const token = 'hf_SuperSecretToken1234567890';
    const env = { ...process.env, HF_TOKEN: token, OPENAI_API_KEY: 'sk-another-secret-key-42' };
    const config = { recognizer: 'remote:http://127.0.0.1:9/v1', model: 'm', topK: 5 };
    await ctx.client.enqueue({ run: 'secret', config, images: ['/s/1.jpg', '/s/2.jpg'], env });
    const all = await dumpRedis(ctx.server.url);
    expect(all).toContain('remote:http://127.0.0.1:9/v1'); // the dump does read values
    expect(all).not.toContain(token);
    expect(all).not.toContain('sk-another-secret-key-42');
    // a configuration that carries the token is refused, naming the variable but not the value
    const leaking = { ...config, recognizer: `remote:http://u:${token}@127.0.0.1:9/v1` };
    const error = await ctx.client
      .enqueue({ run: 'secret2', config: leaking, images: ['/s/1.jpg'], env })
      .catch((e: Error) => e);
    expect(String(error)).toMatch(/\$HF_TOKEN/);
    expect(String(error)).not.toContain(token);
    expect(await dumpRedis(ctx.server.url)).not.toContain(token);
  });

  it('fails fast with a clear message when Redis is not there', async () => {
    await expect(connectRedis('redis://127.0.0.1:1/0', { connectTimeoutMs: 1500 })).rejects.toThrow(
      /Cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/0/,
    );
    await expect(
      connectRedis('redis://:hunter2hunter2@127.0.0.1:1/0', { connectTimeoutMs: 500 }),
    ).rejects.toThrow(/redis:\/\/:\*\*\*@127/);
    await expect(connectRedis('http://127.0.0.1:6379')).rejects.toThrow(/Redis URL/);
  });
});
