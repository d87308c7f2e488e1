import { type Command, Option } from 'commander';
import { DEFAULT_PIPELINE_CONFIG, type PipelineConfig } from '../detect/pipeline-config.js';
import { runDetect } from '../detect/run-detect.js';
import { EXIT } from '../exit-codes.js';
import { DETECTOR_KINDS } from '../factory/create-detector.js';
import { RECOGNIZER_KINDS } from '../factory/create-recognizer.js';
import { parseModelSpec } from '../factory/parse-model-spec.js';
import { parseInteger, parseNumber } from './parse-flags.js';
import { queuedExitCode, runQueuedDetect } from './queue-command.js';

/** Registers `hoi detect`. */
export function registerDetectCommand(program: Command): void {
  program
    .command('detect')
    .description(
      'Detect human-object interactions in images, folders or globs; write result records as JSON Lines.',
    )
    .argument('<inputs...>', 'image files, folders (searched recursively) or globs')
    .option(
      '-d, --detector <spec>',
      'centernet[:PATH] (default, embedded, offline), yolo:PATH, detr:PATH_OR_ID',
    )
    .option(
      '-r, --recognizer <spec>',
      'prior (default, embedded, offline), clip: siglip: qwen2.5-vl: qwen2-vl: qwen3-vl: smolvlm: dm: PATH_OR_ID, remote:URL, hf:MODEL',
    )
    .option('--model <name>', 'model name served at remote:URL')
    .option(
      '--strategy <name>',
      'remote: choice-logprobs, sequence-likelihood, yes-no, text; local VLM: likelihood, yes-no',
    )
    .option(
      '--vocabulary <name|file>',
      'hico-det (default), vcoco, or a vocabulary JSON file adding verbs and objects',
    )
    .option(
      '--interactiveness <spec>',
      'put a cheap recognizer (prior) in front of the main one as an interactiveness filter',
    )
    .option(
      '--interactiveness-threshold <p>',
      'pairs below this never reach the main recognizer',
      parseNumber,
      0.15,
    )
    .option('--score-threshold <p>', 'detector score threshold (adapter default when absent)', parseNumber)
    .option('-k, --top-k <n>', 'keep the K best interactions per image', parseInteger, 100)
    .option('--min-score <p>', 'drop interactions scoring below this', parseNumber, 0)
    .option(
      '--max-pixels <n>',
      'refuse images with more pixels than this',
      parseInteger,
      DEFAULT_PIPELINE_CONFIG.maxPixels,
    )
    .option('--no-pose', 'prior recognizer: layout only, no pose cues')
    .option('--ep <list>', 'execution providers in order of preference, e.g. cuda,cpu (ONNX models)', (v) =>
      v.split(','),
    )
    .option(
      '--gt-boxes <file>',
      'use the ground-truth boxes of a HICO-DET annotation file instead of a detector',
    )
    .option(
      '--factors',
      'write per-factor scores (action, human, object, interactiveness) on each interaction',
    )
    .option(
      '-o, --out <file>',
      'append records to this JSON Lines file (resumes: images already in it are skipped)',
    )
    .option('--no-resume', 'with --out: start the file afresh instead of resuming')
    .option('--viz <dir>', 'write one PNG per image with boxes, pair lines and verb labels')
    .option(
      '--html <file>',
      'write one self-contained HTML page with every image and a sortable interaction list',
    )
    .addOption(
      new Option('-w, --workers <n>', 'worker threads (one pipeline each)')
        .argParser(parseInteger)
        .default(1),
    )
    .option(
      '--queue <redis-url>',
      'distribute the images over `hoi worker` processes through this Redis (needs --run); follows progress',
    )
    .option('--run <name>', 'with --queue: name of the run (the same name and inputs enqueue nothing twice)')
    .addHelpText(
      'after',
      `
Examples:
  $ hoi detect photo.jpg                              # embedded detector + prior, offline; records on stdout
  $ hoi detect photos/ --out results.jsonl --viz viz/ # a folder; rerun to resume after an interruption
  $ hoi detect 'shots/**/*.png' --html report.html
  $ hoi detect img.jpg --detector yolo:yolo11s.onnx --recognizer clip:Xenova/clip-vit-base-patch32
  $ hoi detect img.jpg --recognizer remote:http://localhost:8000/v1 --model Qwen/Qwen2.5-VL-3B-Instruct \\
        --interactiveness prior
  $ hoi detect hico/images/test2015 --gt-boxes instances_test2015.json --out gt-oracle.jsonl

Exit codes: 0 all images done, 1 fatal error (nothing or not all was run), 2 bad usage,
            3 the batch finished but some images failed (each reported on stderr).`,
    )
    .action(async (inputs: string[], flags: Record<string, unknown>) => {
      const config: PipelineConfig = {
        ...DEFAULT_PIPELINE_CONFIG,
        detector: flags.detector as string | undefined,
        recognizer: flags.recognizer as string | undefined,
        model: flags.model as string | undefined,
        strategy: flags.strategy as string | undefined,
        vocabulary: flags.vocabulary as string | undefined,
        interactiveness: flags.interactiveness as string | undefined,
        interactivenessThreshold: flags.interactivenessThreshold as number,
        scoreThreshold: flags.scoreThreshold as number | undefined,
        topK: flags.topK as number,
        minScore: flags.minScore as number,
        maxPixels: flags.maxPixels as number,
        pose: flags.pose as boolean,
        executionProviders: flags.ep as string[] | undefined,
        gtBoxes: flags.gtBoxes as string | undefined,
        includeFactors: Boolean(flags.factors),
      };
      // Bad model flags are usage errors even when no image needs them.
      parseModelSpec(config.detector ?? 'centernet', '--detector', DETECTOR_KINDS);
      parseModelSpec(config.recognizer ?? 'prior', '--recognizer', RECOGNIZER_KINDS);
      if (config.interactiveness)
        parseModelSpec(config.interactiveness, '--interactiveness', RECOGNIZER_KINDS);
      if (flags.queue) {
        const queued = await runQueuedDetect({
          inputs,
          config,
          queue: flags.queue as string,
          run: flags.run as string | undefined,
          out: flags.out as string | undefined,
          resume: flags.resume as boolean,
          viz: flags.viz as string | undefined,
          html: flags.html as string | undefined,
          workers: flags.workers as number,
        });
        const done = [`${queued.processed} processed`];
        if (queued.skipped) done.push(`${queued.skipped} already done`);
        if (queued.failed.length) done.push(`${queued.failed.length} failed`);
        if (queued.lost.length) done.push(`${queued.lost.length} lost`);
        process.stderr.write(
          `hoi: ${queued.inputs} inputs: ${done.join(', ')}${flags.out ? ` -> ${flags.out}` : ''}\n`,
        );
        if (queued.html) process.stderr.write(`hoi: page written to ${queued.html}\n`);
        process.exitCode = queuedExitCode(queued);
        return;
      }
      const summary = await runDetect({
        inputs,
        config,
        out: flags.out as string | undefined,
        resume: flags.resume as boolean,
        viz: flags.viz as string | undefined,
        html: flags.html as string | undefined,
        workers: flags.workers as number,
      });
      const parts = [`${summary.processed} processed`];
      if (summary.skipped) parts.push(`${summary.skipped} already done`);
      if (summary.failed.length) parts.push(`${summary.failed.length} failed`);
      process.stderr.write(
        `hoi: ${summary.inputs} ${summary.inputs === 1 ? 'input' : 'inputs'}: ${parts.join(', ')}${flags.out ? ` -> ${flags.out}` : ''}\n`,
      );
      for (const f of summary.vizFiles) process.stderr.write(`hoi: picture written to ${f}\n`);
      if (summary.html) process.stderr.write(`hoi: page written to ${summary.html}\n`);
      if (summary.failed.length) process.exitCode = EXIT.partialFailure;
    });
}
