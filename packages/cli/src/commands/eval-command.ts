import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as evaluation from '@hoi/eval';
import type { Command } from 'commander';
import { DEFAULT_PIPELINE_CONFIG } from '../detect/pipeline-config.js';
import { runDetect } from '../detect/run-detect.js';

const PROTOCOLS = ['official', 'qpic', 'da-hoi'];
const SPLITS = ['rf-uc', 'nf-uc', 'uo', 'uv'];

function checkProtocol(program: Command, protocol: string, split?: string): void {
  if (!PROTOCOLS.includes(protocol)) {
    program.error(
      `hoi eval: --protocol must be one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(protocol)}`,
      { exitCode: 2 },
    );
  }
  if (split && !SPLITS.includes(split)) {
    program.error(`hoi eval: --split must be one of ${SPLITS.join(', ')}, got ${JSON.stringify(split)}`, {
      exitCode: 2,
    });
  }
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Registers `hoi eval hico-det | vcoco | cross-detector`. */
export function registerEvalCommand(program: Command): void {
  const evalCommand = program
    .command('eval')
    .description('Score result records on HICO-DET or V-COCO, exactly as the published evaluators do.');

  evalCommand
    .command('hico-det')
    .description(
      'HICO-DET mAP: Default and Known-Object, Full / Rare / Non-rare, zero-shot splits, per-class AP.',
    )
    .requiredOption('-a, --annotations <file>', 'instances_test2015.json (or a QPIC-style test_hico.json)')
    .requiredOption('-p, --predictions <file>', 'result records, JSON Lines (the output of hoi detect)')
    .option('--protocol <name>', `one of ${PROTOCOLS.join(', ')}`, 'official')
    .option('--split <name>', `zero-shot split: ${SPLITS.join(', ')}`)
    .option('--json', 'print the JSON object of the evaluator contract')
    .option('--per-class <file.csv>', 'write per-class AP with class names')
    .addHelpText(
      'after',
      `
Examples:
  $ hoi eval hico-det -a instances_test2015.json -p results.jsonl --protocol official
  $ hoi eval hico-det -a instances_test2015.json -p results.jsonl --protocol da-hoi --split rf-uc --json`,
    )
    .action(
      async (flags: {
        annotations: string;
        predictions: string;
        protocol: string;
        split?: string;
        json?: boolean;
        perClass?: string;
      }) => {
        checkProtocol(program, flags.protocol, flags.split);
        const out = await evaluation.evaluateHicoDet({
          annotations: flags.annotations,
          predictions: flags.predictions,
          protocol: flags.protocol as evaluation.HicoDetProtocol,
          split: flags.split as evaluation.HicoDetZeroShotSplit | undefined,
        });
        for (const w of out.warnings) process.stderr.write(`hoi eval: ${w}\n`);
        process.stdout.write(
          flags.json ? `${JSON.stringify(out.result)}\n` : `${evaluation.formatHicoDetTable(out.result)}\n`,
        );
        if (flags.perClass) {
          await writeFile(flags.perClass, evaluation.perClassCsv(out.result, evaluation.hicoDetClassNames()));
          process.stderr.write(`hoi eval: per-class AP written to ${flags.perClass}\n`);
        }
      },
    );

  evalCommand
    .command('vcoco')
    .description(
      'V-COCO role AP (Scenario 1 and 2, 24 classes) and agent AP; or pair-level role AP on the reduced layout.',
    )
    .requiredOption(
      '-a, --annotations <file>',
      'vcoco_test.json (official layout, with --coco) or instances_vcoco_test.json (reduced layout)',
    )
    .option(
      '--coco <file>',
      'COCO instance annotations (instances_vcoco_all_2014.json / instances_val2014.json) for the official layout',
    )
    .requiredOption(
      '-p, --predictions <file>',
      'result records, JSON Lines, with the vcoco vocabulary (hoi detect --vocabulary vcoco)',
    )
    .option('--json', 'print the result as JSON')
    .option('--per-class <file.csv>', 'write per-class role AP')
    .addHelpText(
      'after',
      `
Examples:
  $ hoi eval vcoco -a vcoco_test.json --coco instances_vcoco_all_2014.json -p results.jsonl
  $ hoi eval vcoco -a instances_vcoco_test.json -p results.jsonl --json`,
    )
    .action(
      async (flags: {
        annotations: string;
        coco?: string;
        predictions: string;
        json?: boolean;
        perClass?: string;
      }) => {
        const result = await evaluation.evaluateVcoco({
          annotations: flags.annotations,
          coco: flags.coco,
          predictions: flags.predictions,
        });
        process.stdout.write(
          flags.json ? `${JSON.stringify(result)}\n` : `${evaluation.formatVcocoTable(result)}\n`,
        );
        if (flags.perClass) {
          const table = result.layout === 'pairs' ? result : result.scenario1;
          await writeFile(flags.perClass, evaluation.perClassCsv(table, table.classes));
          process.stderr.write(`hoi eval: per-class AP written to ${flags.perClass}\n`);
        }
      },
    );

  evalCommand
    .command('cross-detector')
    .description(
      'One recognizer, several detectors: one table of instances per image, mAP per setting and the drop against ground-truth boxes.',
    )
    .requiredOption('-a, --annotations <file>', 'HICO-DET annotations')
    .option('--protocol <name>', `one of ${PROTOCOLS.join(', ')}`, 'official')
    .option(
      '-p, --predictions <name=file>',
      'an existing prediction file of one detector (repeatable)',
      collect,
    )
    .option(
      '--gt-predictions <file>',
      'predictions of the same recognizer on the ground-truth boxes (hoi detect --gt-boxes)',
    )
    .option('--images <dir>', 'run the detectors over these images (with --detector, repeatable)')
    .option(
      '-d, --detector <spec>',
      'a detector to run (repeatable): centernet, yolo:PATH, detr:PATH_OR_ID',
      collect,
    )
    .option('-r, --recognizer <spec>', 'the recognizer shared by every run (default: prior)')
    .option('--model <name>', 'model name for remote:URL recognizers')
    .option('--no-gt-boxes', 'with --images: skip the ground-truth-box run')
    .option('--out-dir <dir>', 'where runs write their JSON Lines (resumable)', 'cross-detector-runs')
    .option('--json', 'print the rows as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ hoi eval cross-detector -a instances_test2015.json -p detr=detr.jsonl -p yolo=yolo.jsonl --gt-predictions gt.jsonl
  $ hoi eval cross-detector -a instances_test2015.json --images hico/test2015 \\
        -d centernet -d yolo:yolo11s.onnx -r clip:Xenova/clip-vit-base-patch32 --out-dir runs/`,
    )
    .action(
      async (flags: {
        annotations: string;
        protocol: string;
        predictions?: string[];
        gtPredictions?: string;
        images?: string;
        detector?: string[];
        recognizer?: string;
        model?: string;
        gtBoxes: boolean;
        outDir: string;
        json?: boolean;
      }) => {
        checkProtocol(program, flags.protocol);
        const detectors: evaluation.DetectorPredictions[] = (flags.predictions ?? []).map((entry) => {
          const at = entry.indexOf('=');
          if (at <= 0)
            program.error(
              `hoi eval cross-detector: --predictions takes NAME=FILE, got ${JSON.stringify(entry)}`,
              { exitCode: 2 },
            );
          return { name: entry.slice(0, at), predictions: entry.slice(at + 1) };
        });
        let gtBoxes = flags.gtPredictions;
        if (flags.images) {
          if (!flags.detector?.length)
            program.error('hoi eval cross-detector: --images needs at least one --detector', { exitCode: 2 });
          await mkdir(flags.outDir, { recursive: true });
          const run = async (name: string, config: Partial<typeof DEFAULT_PIPELINE_CONFIG>) => {
            const out = join(flags.outDir, `${name.replace(/[^\w.-]+/g, '_')}.jsonl`);
            process.stderr.write(`hoi eval: running ${name} -> ${out}\n`);
            await runDetect({
              inputs: [flags.images!],
              out,
              config: {
                ...DEFAULT_PIPELINE_CONFIG,
                recognizer: flags.recognizer,
                model: flags.model,
                ...config,
              },
            });
            return out;
          };
          if (flags.gtBoxes && !gtBoxes)
            gtBoxes = await run('ground-truth-boxes', { gtBoxes: flags.annotations });
          for (const spec of flags.detector)
            detectors.push({ name: spec, predictions: await run(spec, { detector: spec }) });
        }
        if (detectors.length === 0)
          program.error('hoi eval cross-detector: give --predictions NAME=FILE or --images with --detector', {
            exitCode: 2,
          });
        const rows = await evaluation.compareDetectors(detectors, {
          annotations: flags.annotations,
          protocol: flags.protocol as evaluation.HicoDetProtocol,
          gtBoxes,
        });
        for (const row of rows)
          for (const w of row.warnings) process.stderr.write(`hoi eval: ${row.detector}: ${w}\n`);
        process.stdout.write(
          flags.json ? `${JSON.stringify(rows)}\n` : `${evaluation.formatCrossDetectorTable(rows)}\n`,
        );
      },
    );
}
