import { describe, expect, it } from 'vitest';
import { isImageUrl } from './fetch-image.js';
import { redactRedisUrl } from './redis-connection.js';

describe('redactRedisUrl', () => {
  const cases: [string, string][] = [
    ['redis://127.0.0.1:6379/0', 'redis://127.0.0.1:6379/0'],
    ['redis://:hunter2@host:6379/1', 'redis://:***@host:6379/1'],
    ['rediss://user:p%40ss@host:6380', 'rediss://user:***@host:6380'],
    ['', '<unparseable redis url>'],
    ['not a url', '<unparseable redis url>'],
  ];
  for (const [given, expected] of cases)
    it(JSON.stringify(given), () => expect(redactRedisUrl(given)).toBe(expected));
});

describe('isImageUrl', () => {
  const cases: [string, boolean][] = [
    ['http://host/a.jpg', true],
    ['HTTPS://host/a.jpg?sig=1', true],
    ['/data/a.jpg', false],
    ['relative/http://x.jpg', false],
    ['s3://bucket/a.jpg', false],
    ['', false],
  ];
  for (const [given, expected] of cases)
    it(JSON.stringify(given), () => expect(isImageUrl(given)).toBe(expected));
});
