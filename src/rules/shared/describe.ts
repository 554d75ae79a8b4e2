import type { Component } from '../../model.js';

/** How a finding names a component: `Service "orders"`, `Library "@shop/db"`. */
export function describeComponent(component: Component): string {
  return component.kind === 'service' ? `Service "${component.service}"` : `${component.kind === 'library' ? 'Library' : component.kind === 'job' ? 'Job' : 'Contract'} "${component.id}"`;
}
