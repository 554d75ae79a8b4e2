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

/** A node's width for its label (the page uses a 12px sans-serif font). */
export function nodeWidth(node: MapNode): number {
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
  const lastServiceRow = Math.max(-1, ...row.values());
  for (const block of blocks.keys()) {
    const kind = kindOf.get(blocks.get(block)![0]);
    if (kind === 'library' || kind === 'contract') row.set(block, lastServiceRow + 1);
    if (kind === 'database') row.set(block, lastServiceRow + 2);
  }

  const rows: string[][] = [];
  for (const [block, index] of row) (rows[index] ??= []).push(block);
  const nodeWidths = new Map(map.nodes.map((n) => [n.id, nodeWidth(n)]));
  const blockWidth = (block: string) => {
    const members = blocks.get(block)!;
    const inner = members.reduce((sum, m) => sum + nodeWidths.get(m)!, 0) + MEMBER_GAP * (members.length - 1);
    return members.length > 1 || block.startsWith('group ') ? inner + 2 * GROUP_PADDING : inner;
  };
  const centre = new Map<string, number>();
  const predecessors = new Map<string, string[]>();
  for (const edge of map.edges) predecessors.set(blockOf.get(edge.to)!, [...(predecessors.get(blockOf.get(edge.to)!) ?? []), blockOf.get(edge.from)!]);

  const boxes = new Map<string, Box>();
  const groups: Box[] = [];
  let width = 0;
  rows.forEach((blocksInRow = [], index) => {
    const weight = (block: string) => {
      const placed = (predecessors.get(block) ?? []).map((p) => centre.get(p)).filter((c): c is number => c !== undefined);
      return placed.length > 0 ? placed.reduce((a, b) => a + b, 0) / placed.length : Number.MAX_SAFE_INTEGER;
    };
    blocksInRow.sort((a, b) => weight(a) - weight(b) || compareStrings(a, b));
    const y = MARGIN + index * (NODE_HEIGHT + 2 * GROUP_PADDING + ROW_GAP);
    let x = MARGIN;
    for (const block of blocksInRow) {
      const members = blocks.get(block)!;
      const grouped = block.startsWith('group ');
      const total = blockWidth(block);
      if (grouped) groups[Number(block.slice(6))] = { x, y: y - GROUP_PADDING, width: total, height: NODE_HEIGHT + 2 * GROUP_PADDING };
      let nodeX = x + (grouped ? GROUP_PADDING : 0);
      for (const member of members) {
        boxes.set(member, { x: nodeX, y, width: nodeWidths.get(member)!, height: NODE_HEIGHT });
        nodeX += nodeWidths.get(member)! + MEMBER_GAP;
      }
      centre.set(block, x + total / 2);
      x += total + NODE_GAP * 2;
    }
    width = Math.max(width, x - NODE_GAP * 2 + MARGIN);
  });
  const height = MARGIN * 2 + Math.max(1, rows.length) * (NODE_HEIGHT + 2 * GROUP_PADDING + ROW_GAP) - ROW_GAP;
  return { width: Math.max(width, 320), height, nodes: boxes, groups };
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
