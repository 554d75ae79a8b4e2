import type { SourceLocation } from '../model.js';

/** Line starts of a text, to turn offsets into 1-based line/column. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
    }
  }

  /** 1-based line and column (UTF-16 code units) of an offset. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low] + 1 };
  }

  /** The location of the text from `start` to `end` (exclusive) in a file. */
  span(file: string, start: number, end: number): SourceLocation {
    const from = this.position(start);
    const to = this.position(Math.max(start, end));
    return { file, line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  }
}

/** A stable string comparison (not locale-dependent), for deterministic output. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Untrusted text (file names, package names, messages quoting them) made safe for a terminal or a
 * CI log: control characters and bidirectional overrides become visible `\u` escapes, so that a
 * name can neither drive the terminal (colours, cursor, title) nor start a new line (a fake
 * `::error::` workflow command), nor reorder what a reviewer reads.
 */
export function escapeControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The text as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[$\\^.*+?()[\]{}|]/g, '\\$&');
}
