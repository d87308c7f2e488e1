import { writeFile } from 'node:fs/promises';
import * as evaluation from '@hoi/eval';
import type { Command } from 'commander';

const PROTOCOLS = ['official', 'qpic', 'da-hoi'];
const SPLITS = ['rf-uc', 'nf-uc', 'uo', 'uv'];

/** Registers `hoi eval hico-det`. */
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
        if (!PROTOCOLS.includes(flags.protocol)) {
          program.error(
            `hoi eval hico-det: --protocol must be one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(flags.protocol)}`,
            { exitCode: 2 },
          );
        }
        if (flags.split && !SPLITS.includes(flags.split)) {
          program.error(
            `hoi eval hico-det: --split must be one of ${SPLITS.join(', ')}, got ${JSON.stringify(flags.split)}`,
            { exitCode: 2 },
          );
        }
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
          await writeFile(flags.perClass, evaluation.perClassCsv(out.result));
          process.stderr.write(`hoi eval: per-class AP written to ${flags.perClass}\n`);
        }
      },
    );
}
