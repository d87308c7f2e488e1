import { createModelCache } from '@hoi/core';
import { type Command, Option } from 'commander';

/** Registers `hoi models list|pull|verify|clear` over the per-user model cache. */
export function registerModelsCommand(program: Command): void {
  const models = program
    .command('models')
    .description(
      'The per-user model cache ($HOI_CACHE_DIR, else $HF_HOME/hoi, else $XDG_CACHE_HOME/hoi, else ~/.cache/hoi).',
    )
    .addOption(new Option('--cache-dir <dir>', 'use this cache folder'));
  const cache = () => createModelCache({ cacheDir: models.opts().cacheDir });

  models
    .command('list')
    .description('List cached models with their size.')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoi models list\n  $ HOI_CACHE_DIR=/data/hoi-cache hoi models list --json',
    )
    .action(async (flags: { json?: boolean }) => {
      const c = cache();
      const list = await c.list();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(list)}\n`);
        return;
      }
      if (list.length === 0) process.stdout.write(`no model in ${c.cacheDir}\n`);
      for (const m of list) {
        process.stdout.write(
          `${m.modelId}@${m.revision}  ${m.files.length} files  ${(m.size / 1e6).toFixed(1)} MB  ${m.path}\n`,
        );
      }
    });

  models
    .command('pull')
    .description(
      'Download model files from the Hugging Face hub (or HF_ENDPOINT) into the cache, with progress.',
    )
    .argument('<model-id>', 'e.g. Xenova/clip-vit-base-patch32')
    .requiredOption('-f, --files <list>', 'comma-separated files, e.g. config.json,onnx/model.onnx', (v) =>
      v.split(','),
    )
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .addHelpText(
      'after',
      '\nExample:\n  $ hoi models pull Xenova/detr-resnet-50 --files config.json,preprocessor_config.json,onnx/model.onnx',
    )
    .action(async (id: string, flags: { files: string[]; revision: string }) => {
      const tty = process.stderr.isTTY;
      const path = await cache().resolve(id, flags.files, {
        revision: flags.revision,
        onProgress: (e) => {
          if (!tty) return;
          const t = e.overall.total;
          const pct = t ? ` ${((100 * e.overall.loaded) / t).toFixed(1)}%` : '';
          process.stderr.write(
            `\r\x1b[K${e.file}: ${e.status}${pct} (${(e.overall.loaded / 1e6).toFixed(1)} MB)`,
          );
        },
      });
      if (tty) process.stderr.write('\n');
      process.stdout.write(`${path}\n`);
    });

  models
    .command('verify')
    .description('Check cached files against the sha256 recorded at download.')
    .argument('<model-id>')
    .addHelpText('after', '\nExample:\n  $ hoi models verify Xenova/clip-vit-base-patch32')
    .action(async (id: string) => {
      const report = await cache().verify(id);
      for (const f of report.files) process.stdout.write(`${f.status.padEnd(10)} ${f.revision}/${f.file}\n`);
      if (!report.ok) {
        process.stderr.write(
          `hoi models: ${id} failed verification; run \`hoi models clear ${id}\` and pull it again\n`,
        );
        process.exitCode = 1;
      }
    });

  models
    .command('clear')
    .description('Remove one model, or every cached model.')
    .argument('[model-id]')
    .addHelpText(
      'after',
      '\nExamples:\n  $ hoi models clear Xenova/clip-vit-base-patch32\n  $ hoi models clear                 # everything',
    )
    .action(async (id?: string) => {
      await cache().clear(id);
      process.stdout.write(id ? `removed ${id}\n` : 'cache cleared\n');
    });
}
