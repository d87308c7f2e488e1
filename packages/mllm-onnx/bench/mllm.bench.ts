/**
 * `pnpm bench` for @hoi/mllm-onnx: same machine, same model within each comparison; prints ratios.
 * Usage: tsx bench/mllm.bench.ts [dual|vlm|dm|all]
 */
import { cpus } from 'node:os';
import { arch } from 'node:process';
import { loadAverage, peakRssMiB, printTable } from './bench-utils.js';
import { benchDm } from './dm.js';
import { benchDualEncoder } from './dual-encoder.js';
import { benchVlm } from './vlm.js';

const which = process.argv[2] ?? 'all';
console.log(
  `@hoi/mllm-onnx bench on ${arch}, ${cpus().length} CPU(s) (${cpus()[0]?.model ?? '?'}), Node ${process.version}; load average ${loadAverage()}`,
);
if (which === 'all' || which === 'dual') {
  printTable('Dual encoder (CLIP layout, random ViT-384x4 @224)', await benchDualEncoder(7));
  console.log(`  peak RSS so far: ${peakRssMiB().toFixed(0)} MiB`);
}
if (which === 'all' || which === 'vlm') {
  printTable(
    'Qwen2.5-VL layout, decoder hidden 896 x 2 layers (14 heads, 2 KV heads), vocab 32000, 640x480 image',
    await benchVlm(),
  );
  console.log(`  load average after: ${loadAverage()}`);
}
if (which === 'all' || which === 'dm') {
  printTable(
    'One-pass DM vs deterministic generation, same decoder (hidden 896 x 2 layers)',
    await benchDm(),
  );
}
console.log(`\npeak RSS: ${peakRssMiB().toFixed(0)} MiB; load average at the end ${loadAverage()}`);
