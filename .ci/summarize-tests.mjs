// Sums vitest's per-package "Tests  N passed | M failed | K skipped (T)" lines from a log and prints one
// closing line "N passed, M failed, K skipped", so the whole run reads as one result.
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2], 'utf8').replace(
  new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'),
  '',
);
const total = { passed: 0, failed: 0, skipped: 0 };
let packages = 0;
for (const line of text.split('\n')) {
  const m = /\bTests\s+(.+)\(\d+\)\s*$/.exec(line);
  if (!m) continue;
  packages++;
  for (const [, n, kind] of m[1].matchAll(/(\d+) (passed|failed|skipped)/g)) total[kind] += Number(n);
}
console.log(`\n${packages} test runs`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
