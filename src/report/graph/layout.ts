import { stronglyConnected } from '../../graph/services.js';
import { compareStrings } from '../../util/text.js';
import type { MapNode, ServiceMap } from './model.js';

/** Where each node of the map is drawn: rows of services by call depth, then libraries and contracts, then databases. */
export interface Layout {
  width: number;
  height: number;
  nodes: Map<string, Box>;
  /** One box around the members of each co-deployment group. */
  groups: Box[];
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const NODE_HEIGHT = 40;
const ROW_GAP = 90;
const NODE_GAP = 28;
/** Wider inside a group, where the members' arrows to each other run sideways. */
const MEMBER_GAP = 80;
const GROUP_PADDING = 14;
const MARGIN = 32;
/** Rows wrap beyond this width. */
const MAX_ROW_WIDTH = 1100;

/** A node's width for its label (the page uses a 12px sans-serif font). */
function nodeWidth(node: MapNode): number {
  return Math.max(110, Math.round(node.id.length * 7 + 28));
}

/**
 * A layered layout: a co-deployment group is placed as one block so its cluster box holds only its members;
 * service rows follow the longest dependency path (cycles collapsed); within a row, blocks are ordered
 * by the average position of what points at them.
 */
export function layout(map: ServiceMap): Layout {
  const blocks = new Map<string, string[]>();
  const blockOf = new Map<string, string>();
  for (const node of map.nodes) {
    const block = node.group !== undefined ? `group ${node.group}` : node.id;
    blocks.set(block, [...(blocks.get(block) ?? []), node.id]);
    blockOf.set(node.id, block);
  }
  const kindOf = new Map(map.nodes.map((n) => [n.id, n.kind]));
  const serviceBlocks = [...blocks.keys()].filter((b) => kindOf.get(blocks.get(b)![0]) === 'service');
  const successors = new Map<string, string[]>();
  for (const edge of map.edges) {
    const [from, to] = [blockOf.get(edge.from)!, blockOf.get(edge.to)!];
    if (from === to || kindOf.get(edge.to) !== 'service' || kindOf.get(edge.from) !== 'service') continue;
    successors.set(from, [...new Set([...(successors.get(from) ?? []), to])].sort(compareStrings));
  }
  const row = serviceRows(serviceBlocks, successors);
  // Frontends call services and nothing calls them: a row of their own above the services.
  const frontendBlocks = [...blocks.keys()].filter((b) => kindOf.get(blocks.get(b)![0]) === 'frontend');
  if (frontendBlocks.length > 0) for (const [block, index] of row) row.set(block, index + 1);
  for (const block of frontendBlocks) row.set(block, 0);
  const lastServiceRow = Math.max(-1, ...row.values());
  for (const block of blocks.keys()) {
    const kind = kindOf.get(blocks.get(block)![0]);
    if (kind === 'job' || kind === 'library' || kind === 'contract') row.set(block, lastServiceRow + 1);
    if (kind === 'database') row.set(block, lastServiceRow + 2);
  }

  const rows: string[][] = [];
  for (const [block, index] of row) (rows[index] ??= []).push(block);
  const nodeWidths = new Map(map.nodes.map((n) => [n.id, nodeWidth(n)]));
  const shapes = new Map([...blocks].map(([block, members]) => [block, blockShape(members.map((m) => nodeWidths.get(m)!), block.startsWith('group '))]));
  const centre = new Map<string, number>();
  const predecessors = new Map<string, string[]>();
  for (const edge of map.edges) predecessors.set(blockOf.get(edge.to)!, [...(predecessors.get(blockOf.get(edge.to)!) ?? []), blockOf.get(edge.from)!]);

  const boxes = new Map<string, Box>();
  const groups: Box[] = [];
  let width = 0;
  let y = MARGIN + GROUP_PADDING;
  for (const blocksInRow of rows) {
    if (!blocksInRow) continue;
    const weight = (block: string) => {
      const placed = (predecessors.get(block) ?? []).map((p) => centre.get(p)).filter((c): c is number => c !== undefined);
      return placed.length > 0 ? placed.reduce((a, b) => a + b, 0) / placed.length : Number.MAX_SAFE_INTEGER;
    };
    blocksInRow.sort((a, b) => weight(a) - weight(b) || compareStrings(a, b));
    let x = MARGIN;
    let lineHeight = 0;
    for (const block of blocksInRow) {
      const shape = shapes.get(block)!;
      // Wrap long rows so the page stays about a screen wide.
      if (x > MARGIN && x + shape.width > MARGIN + MAX_ROW_WIDTH) {
        y += lineHeight + NODE_GAP * 2;
        x = MARGIN;
        lineHeight = 0;
      }
      const grouped = block.startsWith('group ');
      const top = grouped ? y - GROUP_PADDING : y;
      if (grouped) groups[Number(block.slice(6))] = { x, y: top, width: shape.width, height: shape.height };
      blocks.get(block)!.forEach((member, i) => {
        const [column, line] = [i % shape.columns, Math.floor(i / shape.columns)];
        const inset = grouped ? GROUP_PADDING : 0;
        boxes.set(member, { x: x + inset + column * (shape.cell + MEMBER_GAP), y: top + inset + line * (NODE_HEIGHT + NODE_GAP * 2), width: nodeWidths.get(member)!, height: NODE_HEIGHT });
      });
      centre.set(block, x + shape.width / 2);
      x += shape.width + NODE_GAP * 2;
      lineHeight = Math.max(lineHeight, shape.height - (grouped ? GROUP_PADDING : 0));
      width = Math.max(width, x - NODE_GAP * 2 + MARGIN);
    }
    y += lineHeight + ROW_GAP;
  }
  return { width: Math.max(width, 320), height: Math.max(y - ROW_GAP + MARGIN, 120), nodes: boxes, groups };
}

/** A block's size: one node, or a group's members in a grid of equal cells no wider than a row. */
function blockShape(widths: number[], grouped: boolean): { width: number; height: number; columns: number; cell: number } {
  if (!grouped) return { width: widths[0], height: NODE_HEIGHT, columns: 1, cell: widths[0] };
  const cell = Math.max(...widths);
  const columns = Math.max(1, Math.min(widths.length, Math.floor((MAX_ROW_WIDTH - 2 * GROUP_PADDING + MEMBER_GAP) / (cell + MEMBER_GAP))));
  const lines = Math.ceil(widths.length / columns);
  return {
    width: columns * cell + (columns - 1) * MEMBER_GAP + 2 * GROUP_PADDING,
    height: lines * NODE_HEIGHT + (lines - 1) * NODE_GAP * 2 + 2 * GROUP_PADDING,
    columns,
    cell,
  };
}

/** Row of each service block: the longest path to it from a block nobody depends on, cycles counted as one block. */
function serviceRows(blocks: string[], successors: Map<string, string[]>): Map<string, number> {
  const representative = new Map(blocks.map((b) => [b, b]));
  for (const component of stronglyConnected(blocks, successors)) for (const member of component) representative.set(member, component[0]);
  const depth = new Map<string, number>();
  for (const block of [...blocks].sort(compareStrings)) depth.set(representative.get(block)!, 0);
  // Relax along the condensed edges; the condensation is acyclic, so |blocks| rounds suffice.
  for (let round = 0; round < blocks.length; round++) {
    let changed = false;
    for (const [from, targets] of successors) {
      for (const to of targets) {
        const [a, b] = [representative.get(from)!, representative.get(to)!];
        if (a !== b && depth.get(b)! < depth.get(a)! + 1) {
          depth.set(b, depth.get(a)! + 1);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return new Map(blocks.map((b) => [b, depth.get(representative.get(b)!)!]));
}
