import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createProgram } from './program.js';

function leaves(command: Command, path: string[] = []): { path: string; command: Command }[] {
  if (command.commands.length === 0) return [{ path: path.join(' '), command }];
  return command.commands.flatMap((c) => leaves(c, [...path, c.name()]));
}

describe('hoi --help', () => {
  const all = leaves(createProgram());

  it('has the commands of the toolkit', () => {
    expect(all.map((l) => l.path).sort()).toEqual(
      expect.arrayContaining([
        'detect',
        'eval hico-det',
        'eval vcoco',
        'eval cross-detector',
        'models pull',
        'worker',
        'queue status',
      ]),
    );
  });

  it.each(all.map((l) => [l.path, l.command] as const))(
    '`hoi %s --help` shows an example',
    (path, command) => {
      let text = '';
      command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
      command.outputHelp();
      expect(text).toContain(`hoi ${path}`);
      expect(text).toMatch(/Examples?:\n\s+\$ hoi /);
    },
  );
});
