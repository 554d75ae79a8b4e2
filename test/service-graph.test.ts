import { describe, expect, it } from 'vitest';
import { coDeploymentGroups } from '../src/graph/couplings.js';
import { elementaryCycles, longestSimplePath, stronglyConnected } from '../src/graph/services.js';
import { completeGraph, edge, graph, service } from './graph-builders.js';

const successors = (pairs: string): Map<string, string[]> => {
  const map = new Map<string, string[]>();
  for (const pair of pairs.split(' ')) {
    const [from, to] = pair.split('>');
    map.set(from, [...(map.get(from) ?? []), to].sort());
  }
  return map;
};

describe('service graph algorithms', () => {
  it('finds strongly connected sets of two or more', () => {
    const next = successors('a>b b>c c>a c>d d>e e>d f>a');
    expect(stronglyConnected(['a', 'b', 'c', 'd', 'e', 'f'], next)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
  });

  it('enumerates every elementary cycle once, each from its smallest member, shortest first', () => {
    const next = successors('a>b b>a b>c c>a a>c');
    expect(elementaryCycles(['a', 'b', 'c'], next, 100)).toEqual({
      cycles: [
        ['a', 'b'],
        ['a', 'c'],
        ['a', 'b', 'c'],
      ],
      truncated: false,
    });
  });

  it('counts the 20 cycles of four services that all call each other', () => {
    const edges = successors('a>b a>c a>d b>a b>c b>d c>a c>b c>d d>a d>b d>c');
    expect(elementaryCycles(['a', 'b', 'c', 'd'], edges, 100).cycles).toHaveLength(20);
  });

  it('stops at the limit instead of enumerating an exponential number of cycles', () => {
    const g = completeGraph(30);
    const next = new Map(g.components.map((c) => [c.id, g.components.map((o) => o.id).filter((o) => o !== c.id)]));
    const { cycles, truncated } = elementaryCycles([...next.keys()], next, 25);
    expect(cycles).toHaveLength(25);
    expect(truncated).toBe(true);
  });

  it('finds the longest simple path without walking around a cycle', () => {
    expect(longestSimplePath('a', successors('a>b b>c c>a c>d a>d'))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('joins services transitively into co-deployment groups', () => {
    const g = graph({
      components: ['a', 'b', 'c', 'd', 'e'].map((id) => service(id)),
      edges: [edge('a', 'b', 'http'), edge('b', 'a', 'http'), edge('b', 'c', 'manifest'), edge('d', 'e', 'event')],
    });
    const groups = coDeploymentGroups(g);
    expect(groups.map((group) => group.services)).toEqual([['a', 'b', 'c']]);
    expect(groups[0].couplings.map((c) => [c.kind, c.services.join('+')])).toEqual([
      ['sync-cycle', 'a+b'],
      ['sync-cycle', 'a+b'],
      ['lockstep', 'b+c'],
    ]);
  });
});
