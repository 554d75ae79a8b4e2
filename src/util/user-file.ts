import { UsageError } from '../config/types.js';
import { replaceFile } from './atomic-write.cjs';

/**
 * Writes a file the user asked for (a report, the baseline) whole or not at all: on a full disk the old
 * file stays as it was, and the run stops with the reason in plain words.
 */
export function writeUserFile(file: string, text: string, shown = file): void {
  try {
    replaceFile(file, () => text);
  } catch (error) {
    throw new UsageError(`could not write ${shown}: ${plainReason(error)}`);
  }
}

/** The reason of a file system error without its code and system call: "no space left on device" for "ENOSPC: no space left on device, write". */
export function plainReason(error: unknown): string {
  const message = (error as Error).message;
  return /^E[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
}
