import type { Component } from '../../model.js';

const NOUNS = { job: 'Job', frontend: 'Frontend', library: 'Library', contract: 'Contract' } as const;

/** How a finding names a component: `Service "orders"`, `Library "@shop/db"`. */
export function describeComponent(component: Component): string {
  return component.kind === 'service' ? `Service "${component.service}"` : `${NOUNS[component.kind]} "${component.id}"`;
}
