import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** ../shared next to the repository. */
export const SHARED = resolve(here, '../../../../shared');
export const PHOTOS = ['kite.jpg', 'astronaut.png', 'dog.jpg', 'horses.jpg', 'person.jpg', 'coffee.png'];
export const hasPhotos = PHOTOS.every((p) => existsSync(join(SHARED, 'images', p)));

/** `count` copies of the shared photos under a fresh folder; absolute paths, sorted. */
export function copyPhotos(count: number, dir = mkdtempSync(join(tmpdir(), 'hoi-queue-'))): string[] {
  mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const photo = PHOTOS[i % PHOTOS.length]!;
    const target = join(dir, `img-${String(i).padStart(3, '0')}${photo.slice(photo.lastIndexOf('.'))}`);
    copyFileSync(join(SHARED, 'images', photo), target);
    out.push(target);
  }
  return out.sort();
}

/** A file with an image extension that is not an image. */
export function badImage(dir: string, name = 'broken.jpg'): string {
  const path = join(dir, name);
  writeFileSync(path, 'this is not a JPEG');
  return path;
}
