import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkResultRecord } from '@hoi/core';
import { dumpRedis, hasRedisServer, startRedisServer, type TestRedisServer } from '@hoi/queue/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portableConfig, sortJsonlFile } from './commands/queue-command.js';
import { DEFAULT_PIPELINE_CONFIG } from './detect/pipeline-config.js';
import { runCli, SHARED, spawnCli } from './test/run-cli.js';

const IMAGES = join(SHARED, 'images');
const PHOTOS = ['kite.jpg', 'astronaut.png', 'dog.jpg', 'horses.jpg', 'person.jpg', 'coffee.png'];
const hasImages = PHOTOS.every((p) => existsSync(join(IMAGES, p)));
const why = !hasRedisServer()
  ? ' (skipped: /usr/bin/redis-server not found; apt-get install redis-server)'
  : !hasImages
    ? ` (skipped: photos not found in ${IMAGES})`
    : '';

const root = mkdtempSync(join(tmpdir(), 'hoi-queue-e2e-'));

/** `count` copies of the shared photos in a new folder under the test root. */
function photoFolder(name: string, count: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const photo = PHOTOS[i % PHOTOS.length]!;
    copyFileSync(
      join(IMAGES, photo),
      join(dir, `p${String(i).padStart(2, '0')}${photo.slice(photo.indexOf('.'))}`),
    );
  }
  return dir;
}

const readRecords = (file: string) =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>)
    : [];

/** A running `hoi worker` with its stderr collected. */
interface WorkerProcess {
  child: ChildProcess;
  log: () => string;
}

describe.skipIf(why !== '')(
  `hoi detect --queue with hoi worker processes on a real redis-server${why}`,
  () => {
    let server: TestRedisServer;
    const workers: WorkerProcess[] = [];

    const spawnWorker = async (): Promise<WorkerProcess> => {
      const child = spawnCli([
        'worker',
        '--queue',
        server.url,
        // above the longest event-loop block of a worker loading its models on a busy machine
        '--stall-timeout',
        '5000',
        '--stalled-interval',
        '1000',
      ]);
      let log = '';
      child.stderr!.on('data', (d) => {
        log += d;
      });
      child.stdout!.resume();
      const w = { child, log: () => log };
      workers.push(w);
      const deadline = Date.now() + 60_000;
      while (!log.includes('waiting for jobs')) {
        if (child.exitCode !== null || Date.now() > deadline)
          throw new Error(`hoi worker did not start: ${log}`);
        await sleep(50);
      }
      return w;
    };

    const detect = (dir: string, run: string, out: string) => [
      'detect',
      dir,
      '--no-pose',
      '--queue',
      server.url,
      '--run',
      run,
      '--out',
      out,
    ];

    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(async () => {
      for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
      await server?.stop();
    });

    it('a worker killed with SIGKILL mid-job: its job is completed by another, nothing lost or doubled', async () => {
      const dir = photoFolder('kill', 6);
      const out = join(root, 'kill.jsonl');
      const victim = await spawnWorker();
      const run = spawnCli(detect(dir, 'kill', out));
      let stderr = '';
      run.stderr!.on('data', (d) => {
        stderr += d;
      });
      const exited = new Promise<number | null>((r) => run.on('close', r));
      // the victim is the only worker: wait until it has taken a job, then kill it mid-job
      const deadline = Date.now() + 60_000;
      let taken = victim.log().match(/hoi worker: (\S+) started/);
      while (!taken) {
        if (Date.now() > deadline) throw new Error(`the worker took no job: ${victim.log()} ${stderr}`);
        await sleep(20);
        taken = victim.log().match(/hoi worker: (\S+) started/);
      }
      victim.child.kill('SIGKILL');
      const killedImage = taken[1]!;
      await Promise.all([spawnWorker(), spawnWorker()]);
      expect(await exited, stderr).toBe(0);
      const records = readRecords(out);
      const images = records.map((r) => r.image as string);
      expect(images).toHaveLength(6);
      expect(new Set(images).size).toBe(6);
      expect(images).toEqual([...images].sort());
      const redone = records.find((r) => r.image === killedImage);
      expect(redone, `${killedImage} missing`).toBeDefined();
      expect(redone!.pid).not.toBe(victim.child.pid);
    }, 150_000);

    it('three workers over 30 images: every image exactly once, sorted; no secret reaches Redis', async () => {
      // three live workers (two survive from the previous test when the whole file runs)
      const alive = () => workers.filter((w) => w.child.exitCode === null && !w.child.killed).length;
      while (alive() < 3) await spawnWorker();
      const dir = photoFolder('thirty', 30);
      const out = join(root, 'thirty.jsonl');
      const token = 'hf_e2eSecretTokenValue0123456789';
      const result = await runCli(detect(dir, 'thirty', out), { env: { HF_TOKEN: token } });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/30 images enqueued/);
      const records = readRecords(out);
      const images = records.map((r) => r.image as string);
      expect(images).toHaveLength(30);
      expect(new Set(images).size).toBe(30);
      expect(images).toEqual([...images].sort());
      expect(images[0]).toBe(join(dir, 'p00.jpg'));
      for (const r of records) {
        const { host, pid, durationMs, ...record } = r;
        expect(checkResultRecord(record)).toEqual([]);
        expect(typeof host).toBe('string');
        expect(durationMs as number).toBeGreaterThan(0);
      }
      expect(new Set(records.map((r) => r.pid)).size).toBeGreaterThanOrEqual(2);
      expect(records.find((r) => r.image === join(dir, 'p00.jpg'))!.size).toEqual([1352, 900]);
      // enqueueing the same batch again adds nothing and computes nothing
      const again = await runCli(detect(dir, 'thirty', out));
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/resuming: 30 of 30 images already in/);
      expect(readRecords(out)).toHaveLength(30);
      // without --out: the records already in Redis, printed sorted to stdout, nothing recomputed
      const printed = await runCli(['detect', dir, '--no-pose', '--queue', server.url, '--run', 'thirty']);
      expect(printed.code, printed.stderr).toBe(0);
      expect(printed.stderr).toMatch(/0 images enqueued, 30 already in the run/);
      expect(
        printed.stdout
          .split('\n')
          .filter((l) => l)
          .map((l) => (JSON.parse(l) as { image: string }).image),
      ).toEqual(images);
      // every key and value in Redis, read by type: the enqueuer's HF_TOKEN is nowhere
      const dump = await dumpRedis(server.url);
      expect(dump).toContain('p28.jpg'); // the dump does read the values
      expect(dump).not.toContain(token);
      const status = await runCli(['queue', 'status', '--queue', server.url, '--run', 'thirty']);
      expect(status.stdout).toMatch(/run thirty: 30 images, 30 done, 0 failed, 0 pending/);
      const exported = join(root, 'thirty-export.jsonl');
      expect(
        (await runCli(['queue', 'export', '--queue', server.url, '--run', 'thirty', '--out', exported])).code,
      ).toBe(0);
      expect(readRecords(exported).map((r) => r.image)).toEqual(images);
    }, 150_000);

    it('Redis restarted mid-run: the loss is reported; the same command resumes and skips images done', async () => {
      const dir = photoFolder('restart', 24);
      const out = join(root, 'restart.jsonl');
      const run = spawnCli(detect(dir, 'restart', out));
      let stderr = '';
      run.stderr!.on('data', (d) => {
        stderr += d;
      });
      const exited = new Promise<number | null>((r) => run.on('close', r));
      const deadline = Date.now() + 60_000;
      while (readRecords(out).length < 3) {
        if (Date.now() > deadline) throw new Error(`no progress: ${stderr}`);
        await sleep(20);
      }
      await server.stop(true);
      await server.start();
      expect(await exited, stderr).toBe(1);
      const kept = readRecords(out).map((r) => r.image as string);
      expect(kept.length).toBeGreaterThanOrEqual(3);
      expect(kept.length).toBeLessThan(24);
      expect(stderr).toMatch(/lost run restart \(it restarted without persistence/);
      expect(stderr).toContain(`${24 - kept.length} lost`);
      const resumed = await runCli(detect(dir, 'restart', out));
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(`resuming: ${kept.length} of 24 images already in`);
      expect(resumed.stderr).toContain(`${24 - kept.length} images enqueued`);
      const images = readRecords(out).map((r) => r.image as string);
      expect(images).toHaveLength(24);
      expect(new Set(images).size).toBe(24);
      expect(images).toEqual([...images].sort());
    }, 150_000);

    it('a bad image lands in the failed list with its message; the run still finishes (also http URLs)', async () => {
      const dir = photoFolder('bad', 2);
      writeFileSync(join(dir, 'broken.jpg'), 'not an image at all');
      const kite = readFileSync(join(IMAGES, 'kite.jpg'));
      const http: Server = createServer((req, res) => {
        if (req.url === '/kite.jpg') res.writeHead(200).end(kite);
        else res.writeHead(404).end();
      });
      await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/kite.jpg`;
      try {
        const out = join(root, 'bad.jsonl');
        const html = join(root, 'bad.html');
        const result = await runCli([...detect(dir, 'bad', out), url, '--html', html]);
        expect(result.code, result.stderr).toBe(3);
        expect(result.stderr).toMatch(/broken\.jpg: Cannot use image .*broken\.jpg: not a readable image/);
        const records = readRecords(out);
        expect(records.map((r) => r.image)).toEqual([join(dir, 'p00.jpg'), join(dir, 'p01.png'), url]);
        expect(records[2]!.size).toEqual([1352, 900]);
        expect(readFileSync(html, 'utf8')).toContain('p01.png');
        const failed = await runCli(['queue', 'failed', '--queue', server.url, '--run', 'bad']);
        expect(failed.stdout).toMatch(
          new RegExp(`^${join(dir, 'broken.jpg')}\\t1 attempt\\(s\\)\\tCannot use image`),
        );
        const status = await runCli(['queue', 'status', '--queue', server.url, '--run', 'bad']);
        expect(status.stdout).toMatch(/4 images, 3 done, 1 failed, 0 pending/);
      } finally {
        http.close();
      }
    }, 150_000);
  },
);

describe('queued detect: pieces that need no Redis', () => {
  it('refuses --viz, --workers > 1 and a missing --run before connecting', async () => {
    const url = 'redis://127.0.0.1:1/0'; // nothing listens there: a usage error must come first
    const viz = await runCli([
      'detect',
      join(IMAGES, 'kite.jpg'),
      '--queue',
      url,
      '--run',
      'r',
      '--viz',
      root,
    ]);
    expect(viz.code).toBe(2);
    expect(viz.stderr).toMatch(/--viz.*--queue/);
    const workers = await runCli([
      'detect',
      join(IMAGES, 'kite.jpg'),
      '--queue',
      url,
      '--run',
      'r',
      '-w',
      '2',
    ]);
    expect(workers.code).toBe(2);
    expect(workers.stderr).toMatch(/hoi worker/);
    const noRun = await runCli(['detect', join(IMAGES, 'kite.jpg'), '--queue', url]);
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/--run/);
  }, 60_000);

  it('makes local file paths of the configuration absolute, keeps hub ids and URLs', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'hoi-portable-'));
    writeFileSync(join(cwd, 'model.onnx'), '');
    writeFileSync(join(cwd, 'vocab.json'), '{}');
    type Config = typeof DEFAULT_PIPELINE_CONFIG;
    const table: [Partial<Config>, Partial<Config>][] = [
      [{}, {}],
      [{ detector: 'yolo:model.onnx' }, { detector: `yolo:${join(cwd, 'model.onnx')}` }],
      [{ detector: 'detr:Xenova/detr-resnet-50' }, { detector: 'detr:Xenova/detr-resnet-50' }],
      [{ recognizer: 'remote:http://host:8000/v1' }, { recognizer: 'remote:http://host:8000/v1' }],
      [{ recognizer: 'prior' }, { recognizer: 'prior' }],
      [{ vocabulary: 'vocab.json' }, { vocabulary: join(cwd, 'vocab.json') }],
      [{ vocabulary: 'vcoco' }, { vocabulary: 'vcoco' }],
      [{ gtBoxes: 'missing.json' }, { gtBoxes: 'missing.json' }],
    ];
    for (const [given, expected] of table) {
      expect(portableConfig({ ...DEFAULT_PIPELINE_CONFIG, ...given }, cwd)).toEqual({
        ...DEFAULT_PIPELINE_CONFIG,
        detector: undefined,
        recognizer: undefined,
        interactiveness: undefined,
        vocabulary: undefined,
        gtBoxes: undefined,
        ...expected,
      });
    }
  });

  it('sorts a JSON Lines file by image, one line per image (ties: the first wins), empty stays empty', () => {
    const file = join(root, 'sort.jsonl');
    writeFileSync(file, '{"image":"/b","n":1}\n{"image":"/a","n":2}\n{"image":"/b","n":3}\n');
    sortJsonlFile(file);
    expect(readRecords(file)).toEqual([
      { image: '/a', n: 2 },
      { image: '/b', n: 1 },
    ]);
    writeFileSync(file, '');
    sortJsonlFile(file);
    expect(readFileSync(file, 'utf8')).toBe('');
  });
});
