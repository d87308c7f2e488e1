import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.js';

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

describe('ProgressBar', () => {
  it('draws counts, rate and ETA on a terminal', () => {
    const s = sink();
    const bar = new ProgressBar(4, s.stream, true);
    bar.tick(true);
    bar.tick(false);
    expect(bar.render(10)).toMatch(/^\[#####-----\] 2\/4 \d+\.\d\d img\/s ETA (\d+s|--) 1 failed$/);
    bar.tick(true);
    bar.tick(true);
    bar.finish();
    expect(s.text()).toContain('4/4');
    expect(s.text()).toContain('\r\x1b[K');
  });

  it('is silent when piped, but still prints messages', () => {
    const s = sink();
    const bar = new ProgressBar(2, s.stream, false);
    bar.tick(true);
    bar.log('hoi: x.jpg: bad');
    bar.tick(true);
    bar.finish();
    expect(s.text()).toBe('hoi: x.jpg: bad\n');
  });

  it('handles an empty batch', () => {
    const bar = new ProgressBar(0, sink().stream, true);
    expect(bar.render(4)).toMatch(/^\[####\] 0\/0/);
  });
});
