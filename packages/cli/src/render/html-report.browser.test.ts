import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HoiResult } from '@hoi/core/spec';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { writeHtmlReport } from './html-report.js';

const CHROMIUM = process.env.HOI_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)(
  `HTML report in headless Chromium${hasChromium ? '' : ` (skipped: ${CHROMIUM} not found; apt-get install chromium)`}`,
  () => {
    it('renders every image, lists the interactions, sorts, and highlights the hovered pair', async () => {
      const { chromium } = await import('playwright-core');
      const dir = mkdtempSync(join(tmpdir(), 'hoi-html-'));
      // two non-square photos made here, so the test needs no data set
      const a = join(dir, 'wide.png');
      const b = join(dir, 'tall.png');
      await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3080c0' } })
        .png()
        .toFile(a);
      await sharp({ create: { width: 150, height: 260, channels: 3, background: '#c08030' } })
        .png()
        .toFile(b);
      const results: HoiResult[] = [
        {
          image: a,
          size: [320, 200],
          instances: [
            { box: [10, 20, 100, 190], label: 'person', score: 0.9 },
            { box: [150, 100, 300, 180], label: 'bicycle', score: 0.8 },
            { box: [200, 10, 240, 50], label: 'kite', score: 0.6 },
          ],
          interactions: [
            { subject: 0, object: 1, verb: 'ride', score: 0.6 },
            { subject: 0, object: 2, verb: 'fly', score: 0.2 },
            { subject: 0, object: 1, verb: 'hold', score: 0.1 },
          ],
        },
        {
          image: b,
          size: [150, 260],
          instances: [
            { box: [5, 5, 80, 250], label: 'person', score: 0.7 },
            { box: [90, 100, 140, 140], label: 'cup', score: 0.5 },
          ],
          interactions: [{ subject: 0, object: 1, verb: 'drink_with', score: 0.3 }],
        },
      ];
      const file = join(dir, 'report.html');
      await writeHtmlReport(results, file);
      writeFileSync(join(dir, 'marker'), '');

      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
        ],
      });
      try {
        const page = await browser.newPage();
        await page.goto(pathToFileURL(file).href);
        // every image decoded and laid out
        type Img = { complete: boolean; naturalWidth: number };
        const images = await page.$$eval('figure img', (imgs) =>
          imgs.map((i) => ({
            ok: (i as unknown as Img).complete && (i as unknown as Img).naturalWidth > 0,
            w: (i as unknown as Img).naturalWidth,
          })),
        );
        expect(images).toEqual([
          { ok: true, w: 320 },
          { ok: true, w: 150 },
        ]);
        // the list holds every interaction
        const verbs = await page.$$eval('#interactions tbody tr', (rows) =>
          rows.map((r) => r.children[2]!.textContent),
        );
        expect(verbs).toEqual(['ride', 'fly', 'hold', 'drink with']);
        // sorting by score, ascending then descending
        await page.click('th[data-col="4"]');
        expect(
          await page.$$eval('#interactions tbody tr', (rows) => rows.map((r) => r.children[4]!.textContent)),
        ).toEqual(['0.1000', '0.2000', '0.3000', '0.6000']);
        await page.click('th[data-col="4"]');
        const first = await page.$eval('#interactions tbody tr', (r) => r.getAttribute('data-pair'));
        expect(first).toBe('img0-0-1');
        // hovering a row highlights its pair (line group and both boxes), and only it
        await page.hover('#interactions tbody tr[data-pair="img1-0-1"]');
        expect(
          await page.$$eval('.overlay .hl', (els) =>
            els.map((e) => e.getAttribute('data-pair') ?? e.id).sort(),
          ),
        ).toEqual(['img1-0-1', 'img1-i0', 'img1-i1'].sort());
        const opacity = await page.$eval(
          '[data-pair="img1-0-1"].pair',
          (e) =>
            (
              globalThis as unknown as { getComputedStyle(el: unknown): { opacity: string } }
            ).getComputedStyle(e).opacity,
        );
        expect(opacity).toBe('1');
        await page.mouse.move(0, 0);
        expect(await page.$$eval('.overlay .hl', (els) => els.length)).toBe(0);
        await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      } finally {
        await browser.close();
      }
    }, 120_000);
  },
);
