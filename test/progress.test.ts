import { describe, expect, it } from 'vitest';
import { ProgressLine } from '../src/progress.js';

/** A stream that records what is written, and a clock the test moves. */
function terminal(isTTY: boolean) {
  const written: string[] = [];
  let time = 1_000_000;
  const line = new ProgressLine({ isTTY, write: (text: string | Uint8Array) => written.push(String(text)) > 0 }, () => time);
  return { line, written, advance: (ms: number) => (time += ms) };
}

describe('progress line', () => {
  it('says nothing for two seconds, then redraws one line in place at most every 100 ms, and clears it', () => {
    const { line, written, advance } = terminal(true);
    line.report('reading and parsing', 10, 500);
    advance(1999);
    line.report('reading and parsing', 20, 500);
    expect(written).toEqual([]);
    advance(1);
    line.report('reading and parsing', 30, 500);
    advance(50);
    line.report('reading and parsing', 40, 500);
    advance(50);
    line.report('resolving imports');
    line.clear();
    expect(written).toEqual(['\r\u001b[2Karch-lint: reading and parsing 30/500 files', '\r\u001b[2Karch-lint: resolving imports', '\r\u001b[2K']);
  });

  it('never writes to a stream that is not a terminal, and clears nothing it did not draw', () => {
    const { line, written, advance } = terminal(false);
    advance(10_000);
    line.report('reading and parsing', 1, 2);
    line.clear();
    expect(written).toEqual([]);
    const quick = terminal(true);
    quick.line.report('reading and parsing', 1, 2);
    quick.line.clear();
    expect(quick.written).toEqual([]);
  });
});
