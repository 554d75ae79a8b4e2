import type { ChalkInstance } from 'chalk';
import { breaks, consumersOf, type ContractConsumer } from '../contracts/consumers.js';
import type { ContractChange, ContractComparison, Graph } from '../model.js';
import { escapeControlCharacters } from '../util/text.js';

export interface ListedChange extends ContractChange {
  consumers: ContractConsumer[];
}

/** Every change of a comparison with its consumers (paths relative to the analysed root). */
export function listChanges(graph: Graph): ListedChange[] {
  return (graph.contracts?.changes ?? []).map((change) => {
    const consumers = consumersOf(change, graph);
    return { ...change, breaking: breaks(change, consumers), consumers };
  });
}

/** True when a breaking change has consumers the diff did not update: `arch-lint contracts` then exits 1. */
export function breaksConsumers(changes: ListedChange[]): boolean {
  return changes.some((change) => change.breaking && change.consumers.some((c) => c.state === 'affected'));
}

/** `arch-lint contracts`: each contract change, breaking or expansion, with the consumers it reaches. */
export function formatContractChanges(comparison: ContractComparison, changes: ListedChange[], format: 'text' | 'json', chalk: ChalkInstance): string {
  if (format === 'json') return `${JSON.stringify({ base: comparison.base, typeCheckedPackages: comparison.typeCheckedPackages, changes }, null, 2)}\n`;
  const lines: string[] = [];
  for (const change of changes) {
    const where = `${change.location.file}:${change.location.line}`;
    const label = change.breaking ? chalk.red('breaking ') : chalk.green('expansion');
    lines.push(`${label} ${escapeControlCharacters(`${where}  ${change.description}`)} ${chalk.dim(`(${change.contract} of ${change.owner})`)}`);
    for (const consumer of change.consumers) {
      const state = consumer.state === 'affected' ? chalk.yellow('affected') : chalk.dim('updated ');
      lines.push(`  ${state} ${escapeControlCharacters(`${consumer.location.file}:${consumer.location.line}  ${consumer.service} ${consumer.detail}`)}`);
    }
  }
  const breaking = changes.filter((c) => c.breaking);
  const blocking = breaking.filter((c) => c.consumers.some((consumer) => consumer.state === 'affected'));
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    changes.length === 0
      ? `No contract changes against ${comparison.base}.`
      : `${plural(changes.length, 'contract change')} against ${comparison.base}: ${breaking.length} breaking (${blocking.length} with consumers not updated), ${changes.length - breaking.length} expansion${changes.length - breaking.length === 1 ? '' : 's'}.`,
  );
  const checked = comparison.typeCheckedPackages;
  if (checked.length > 0) lines.push(chalk.dim(`Type-checked ${plural(checked.length, 'package')} the diff touches: ${checked.join(', ')}.`));
  return `${lines.join('\n')}\n`;
}
