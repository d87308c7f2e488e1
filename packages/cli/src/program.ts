import { readFileSync } from 'node:fs';
import { HoiError } from '@hoi/core';
import { Command, CommanderError } from 'commander';
import { registerDetectCommand } from './commands/detect-command.js';
import { registerEvalCommand } from './commands/eval-command.js';
import { registerModelsCommand } from './commands/models-command.js';
import { registerQueueCommand } from './commands/queue-command.js';
import { registerWorkerCommand } from './commands/worker-command.js';
import { EXIT } from './exit-codes.js';

function version(): string {
  try {
    return (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    ).version;
  } catch {
    return '0.0.0';
  }
}

/** Builds the `hoi` command tree. */
export function createProgram(): Command {
  const program = new Command('hoi')
    .description('Human-object interaction detection: any detector, any recognizer, zero-shot.')
    .version(version())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerDetectCommand(program);
  registerEvalCommand(program);
  registerModelsCommand(program);
  registerQueueCommand(program);
  registerWorkerCommand(program);
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs `hoi` with the given argv; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[] = process.argv): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT.ok;
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (HoiError.isInstance(error)) {
      process.stderr.write(`hoi: ${error.message}\n`);
      return error.name === 'HoiInvalidArgumentError' ? EXIT.usage : EXIT.fatal;
    }
    process.stderr.write(`hoi: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT.fatal;
  }
}
