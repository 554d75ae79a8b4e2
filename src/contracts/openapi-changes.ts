import { refTarget, type ApiDocument } from '../facts/openapi.js';
import type { ContractChange } from '../model.js';
import { isRecord } from '../util/json.js';

/** The parsed document of a repo-relative file on one side of the comparison, undefined when that side has none (or it does not parse). */
export type LoadDocument = (file: string) => ApiDocument | undefined;

/** A change found in one document, before the caller names its owner. */
export type OpenApiChange = Omit<ContractChange, 'owner' | 'contract' | 'file'>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SUCCESS_STATUS = /^2(\d\d|xx)$/i;
/** How deep schemas are compared: nested DTOs rarely go further, and recursive schemas stop here. */
const MAX_DEPTH = 12;

/** A value in a document, with where it is (for locations and for resolving the refs inside it). */
interface At {
  doc: ApiDocument;
  path: (string | number)[];
  value: unknown;
}

type Json = Record<string, unknown>;

/**
 * The changes between the base and the head version of one OpenAPI 3.x or Swagger 2.0 document, `$ref`s into
 * other files followed on each side. Breaking: a removed path or operation, a removed response property (or one
 * no longer required), an added required request property, parameter or body, a changed type or format, a
 * narrowed request enum, a response value that may now be null, a request value that may no longer be null, a
 * removed success status, an added security requirement, a `oneOf`/`anyOf` variant removed from a request or
 * added to a response (one removed from a response breaks only the readers of what only it had). The rest is an expansion.
 * Descriptions, examples and the order of keys are never compared.
 */
export function openApiChanges(file: string, loadBase: LoadDocument, loadHead: LoadDocument): OpenApiChange[] {
  return compareVersions(file, loadBase, loadHead, (comparison, base, head) => comparison.documents(base, head));
}

/**
 * The changes between the base and the head version of an AsyncAPI 2.x or 3.x document: per channel (its address,
 * else its name: the topic) and message, a removed channel or message, and payload changes as subscribers read
 * them (a removed or no longer required property, a changed type or format, are breaking).
 */
export function asyncApiChanges(file: string, loadBase: LoadDocument, loadHead: LoadDocument): OpenApiChange[] {
  return compareVersions(file, loadBase, loadHead, (comparison, base, head) => comparison.events(base, head));
}

/** Both versions of a document, compared by `compare`; a document gone at head is located at its first line. */
function compareVersions(file: string, loadBase: LoadDocument, loadHead: LoadDocument, compare: (comparison: Comparison, base: At | undefined, head: At | undefined) => void): OpenApiChange[] {
  const baseDoc = loadBase(file);
  const headDoc = loadHead(file);
  if (!baseDoc && !headDoc) return [];
  const comparison = new Comparison(loadBase, loadHead, headDoc ?? { file, value: {}, locate: () => ({ file, line: 1, column: 1 }) });
  comparison.sides(baseDoc, headDoc);
  compare(comparison, baseDoc && root(baseDoc), headDoc && root(headDoc));
  return comparison.changes;
}

function root(doc: ApiDocument): At {
  return { doc, path: [], value: doc.value };
}

function child(at: At, key: string | number): At {
  return { doc: at.doc, path: [...at.path, key], value: isRecord(at.value) || Array.isArray(at.value) ? (at.value as Json)[key as string] : undefined };
}

interface Where {
  /** What the descriptions name: `GET /orders/{id}`, `messages on "order.placed"`. */
  subject: string;
  operation?: { method: string; path: string };
  topic?: string;
  /** A payload is read by subscribers, as a response by callers. */
  side: 'request' | 'response' | 'payload';
  property: string;
  parameter?: string;
  /** Inside a request variant: the properties only it has (see ContractChange). */
  variantProperties?: string[];
}

/** Whether the other side reads the data (a response, an event payload) rather than writes it (a request). */
const isRead = (where: Pick<Where, 'side'>) => where.side !== 'request';

class Comparison {
  readonly changes: OpenApiChange[] = [];

  constructor(
    private readonly loadBase: LoadDocument,
    private readonly loadHead: LoadDocument,
    private readonly headDoc: ApiDocument,
  ) {}

  documents(base: At | undefined, head: At | undefined): void {
    const baseOps = this.operations(base);
    const headOps = this.operations(head);
    for (const [key, b] of baseOps) {
      const h = headOps.get(key);
      const operation = { method: b.method.toUpperCase(), path: h?.path ?? b.path };
      if (!h) {
        this.add({ change: 'removed-operation', breaking: true, at: this.headPlace(['paths', b.path, b.method]), subject: '', operation, description: `${operation.method} ${b.path} was removed` });
        continue;
      }
      this.operation(b, h, operation, base!, head!);
    }
    for (const [key, h] of headOps) {
      if (baseOps.has(key)) continue;
      const operation = { method: h.method.toUpperCase(), path: h.path };
      this.add({ change: 'added-operation', breaking: false, at: child(child(child(head!, 'paths'), h.path), h.method), subject: '', operation, description: `${operation.method} ${h.path} was added` });
    }
  }

  events(base: At | undefined, head: At | undefined): void {
    const baseMessages = this.messages(base);
    const headMessages = this.messages(head);
    for (const [key, b] of baseMessages) {
      const h = headMessages.get(key);
      const subject = `messages on "${b.topic}"`;
      if (!h) {
        this.add({ subject, topic: b.topic, side: 'payload', change: 'removed-message', breaking: true, at: this.headPlace(b.at.path), description: `${subject}: message ${b.name} is no longer published` });
        continue;
      }
      this.schema(child(b.at, 'payload'), child(h.at, 'payload'), { subject, topic: b.topic, side: 'payload', property: '' }, 0);
    }
    for (const [key, h] of headMessages) {
      if (!baseMessages.has(key)) this.add({ subject: '', topic: h.topic, side: 'payload', change: 'added-message', breaking: false, at: h.at, description: `messages on "${h.topic}": message ${h.name} was added` });
    }
  }

  /** Every message of an AsyncAPI document by topic and message name: 3.x `channels.<id>.messages`, 2.x `publish`/`subscribe` messages (and their `oneOf`). */
  private messages(doc: At | undefined): Map<string, { topic: string; name: string; at: At }> {
    const found = new Map<string, { topic: string; name: string; at: At }>();
    const channels = doc && child(doc, 'channels');
    if (!channels || !isRecord(channels.value)) return found;
    const add = (topic: string, name: string, message: At | undefined) => {
      if (message && isRecord(message.value)) found.set(`${topic}\0${name}`, { topic, name, at: message });
    };
    for (const id of Object.keys(channels.value)) {
      const channel = this.deref(child(channels, id));
      if (!channel || !isRecord(channel.value)) continue;
      const topic = typeof channel.value.address === 'string' ? channel.value.address : id;
      const messages = child(channel, 'messages');
      if (isRecord(messages.value)) for (const name of Object.keys(messages.value)) add(topic, name, this.deref(child(messages, name)));
      for (const operation of ['publish', 'subscribe']) {
        const message = this.deref(child(child(channel, operation), 'message'));
        if (!message || !isRecord(message.value)) continue;
        const variants = child(message, 'oneOf');
        if (Array.isArray(variants.value)) {
          variants.value.forEach((_, i) => {
            const variant = this.deref(child(variants, i));
            const name = variant && isRecord(variant.value) && typeof variant.value.name === 'string' ? variant.value.name : String(i);
            add(topic, name, variant);
          });
        } else add(topic, typeof message.value.name === 'string' ? message.value.name : operation, message);
      }
    }
    return found;
  }

  /** Operations by method and path, with path parameters unnamed (`/orders/{id}` and `/orders/{orderId}` are one path); a path item may be a `$ref`. */
  private operations(doc: At | undefined): Map<string, OperationAt> {
    const found = new Map<string, OperationAt>();
    if (!doc) return found;
    const paths = child(doc, 'paths');
    if (!isRecord(paths.value)) return found;
    for (const path of Object.keys(paths.value)) {
      const item = this.deref(child(paths, path));
      if (!item || !isRecord(item.value)) continue;
      for (const method of METHODS) {
        if (isRecord(item.value[method])) found.set(`${method} ${path.replace(/\{[^}]*\}/g, '{}')}`, { method, path, item, at: child(item, method) });
      }
    }
    return found;
  }

  /** A place in the head document, nearest to a path it may no longer have. */
  private headPlace(path: (string | number)[]): At {
    return { doc: this.headDoc, path, value: undefined };
  }

  private add(change: { change: string; breaking: boolean; whenUsed?: true; properties?: string[]; at: At; subject: string; description: string } & Partial<Where>): void {
    const { at, subject: _subject, ...rest } = change;
    const found: OpenApiChange = { ...rest, location: at.doc.locate(at.path) };
    if (found.property === '') delete found.property;
    this.changes.push(found);
  }

  private operation(b: OperationAt, h: OperationAt, operation: { method: string; path: string }, base: At, head: At): void {
    const name = `${operation.method} ${operation.path}`;
    const baseParameters = this.parameters(b);
    const headParameters = this.parameters(h);
    for (const [key, hp] of headParameters) {
      const bp = baseParameters.get(key);
      const required = isRecord(hp.value) && hp.value.required === true;
      const where: Where = { subject: name, operation, side: 'request', property: '', parameter: key };
      if (!bp) {
        this.add({ ...where, change: required ? 'added-required-parameter' : 'added-optional-parameter', breaking: required, at: hp, description: `${name}: ${required ? 'required' : 'optional'} parameter "${key}" was added` });
        continue;
      }
      if (required && !(isRecord(bp.value) && bp.value.required === true)) {
        this.add({ ...where, change: 'parameter-now-required', breaking: true, at: hp, description: `${name}: parameter "${key}" is now required` });
      }
      this.schema(parameterSchema(bp), parameterSchema(hp), where, 0);
    }
    for (const [key, bp] of baseParameters) {
      if (!headParameters.has(key)) {
        this.add({ subject: name, operation, side: 'request', parameter: key, change: 'removed-parameter', breaking: false, at: this.headPlace([...h.at.path, 'parameters']), description: `${name}: parameter "${key}" was removed (${bp.doc.file} had it)` });
      }
    }
    this.requestBody(this.body(b), this.body(h), operation);
    this.responses(b, h, operation);
    this.security(b, h, base, head, operation);
  }

  /** Path-level and operation-level parameters by `in:name`, the operation's overriding; Swagger 2.0 `in: body` is the request body, not a parameter. */
  private parameters(op: OperationAt): Map<string, At> {
    const found = new Map<string, At>();
    for (const list of [child(op.item, 'parameters'), child(op.at, 'parameters')]) {
      if (!Array.isArray(list.value)) continue;
      list.value.forEach((_, i) => {
        const parameter = this.deref(child(list, i));
        if (!parameter || !isRecord(parameter.value) || typeof parameter.value.name !== 'string' || parameter.value.in === 'body') return;
        found.set(`${String(parameter.value.in)}:${parameter.value.name}`, parameter);
      });
    }
    return found;
  }

  /** The request body: OpenAPI 3 `requestBody` (its JSON media type), or a Swagger 2.0 `in: body` parameter. */
  private body(op: OperationAt): { at: At; required: boolean; schema?: At } | undefined {
    const body = this.deref(child(op.at, 'requestBody'));
    if (body && isRecord(body.value)) return { at: body, required: body.value.required === true, schema: mediaSchema(body) };
    for (const list of [child(op.at, 'parameters'), child(op.item, 'parameters')]) {
      if (!Array.isArray(list.value)) continue;
      for (let i = 0; i < list.value.length; i++) {
        const parameter = this.deref(child(list, i));
        if (parameter && isRecord(parameter.value) && parameter.value.in === 'body') return { at: parameter, required: parameter.value.required === true, schema: child(parameter, 'schema') };
      }
    }
    return undefined;
  }

  private requestBody(b: ReturnType<Comparison['body']>, h: ReturnType<Comparison['body']>, operation: { method: string; path: string }): void {
    const name = `${operation.method} ${operation.path}`;
    const where: Where = { subject: name, operation, side: 'request', property: '' };
    if (!h) return;
    if (!b) {
      if (h.required) this.add({ ...where, change: 'added-required-request-body', breaking: true, at: h.at, description: `${name}: a required request body was added` });
      return;
    }
    if (h.required && !b.required) this.add({ ...where, change: 'request-body-now-required', breaking: true, at: h.at, description: `${name}: the request body is now required` });
    this.schema(b.schema, h.schema, where, 0);
  }

  private responses(b: OperationAt, h: OperationAt, operation: { method: string; path: string }): void {
    const name = `${operation.method} ${operation.path}`;
    const baseResponses = child(b.at, 'responses');
    const headResponses = child(h.at, 'responses');
    const statuses = (at: At) => (isRecord(at.value) ? Object.keys(at.value).filter((status) => SUCCESS_STATUS.test(status)) : []);
    const headStatuses = statuses(headResponses);
    for (const status of statuses(baseResponses)) {
      if (!headStatuses.includes(status)) {
        this.add({ subject: name, operation, side: 'response', change: 'removed-success-status', breaking: true, at: this.headPlace([...headResponses.path, status]), description: `${name}: success response ${status} was removed` });
        continue;
      }
      const baseResponse = this.deref(child(baseResponses, status));
      const headResponse = this.deref(child(headResponses, status));
      if (!baseResponse || !headResponse) continue;
      this.schema(responseSchema(baseResponse), responseSchema(headResponse), { subject: name, operation, side: 'response', property: '' }, 0);
    }
  }

  /** Breaking when some way of calling the base allowed (a set of schemes) satisfies no requirement of the head. */
  private security(b: OperationAt, h: OperationAt, base: At, head: At, operation: { method: string; path: string }): void {
    const requirements = (op: OperationAt, doc: At): { at: At; alternatives: string[][] } => {
      const own = child(op.at, 'security');
      const at = Array.isArray(own.value) ? own : child(doc, 'security');
      const list = Array.isArray(at.value) ? at.value : [];
      return { at, alternatives: list.length === 0 ? [[]] : list.map((requirement) => (isRecord(requirement) ? Object.keys(requirement) : [])) };
    };
    const before = requirements(b, base);
    const after = requirements(h, head);
    const satisfied = (allowed: string[]) => after.alternatives.some((needed) => needed.every((scheme) => allowed.includes(scheme)));
    const lost = before.alternatives.find((allowed) => !satisfied(allowed));
    if (!lost) return;
    const required = after.alternatives.map((needed) => needed.join(' + ') || 'none').join(' or ');
    this.add({ subject: `${operation.method} ${operation.path}`, operation, side: 'request', change: 'added-security-requirement', breaking: true, at: after.at, description: `${operation.method} ${operation.path}: now requires ${required}, where ${lost.join(' + ') || 'no credentials'} sufficed` });
  }

  /** `within`: the refs (base and head together) followed on the way here, so that a recursive schema is compared once. */
  private schema(bAt: At | undefined, hAt: At | undefined, where: Where, depth: number, within: ReadonlySet<string> = new Set()): void {
    if (depth > MAX_DEPTH) return;
    const followed = bAt && hAt ? refKey(bAt, hAt) : undefined;
    if (followed !== undefined && within.has(followed)) return;
    const inside = followed === undefined ? within : new Set([...within, followed]);
    const b = bAt && this.deref(bAt);
    const h = hAt && this.deref(hAt);
    if (!b || !h || !isRecord(b.value) || !isRecord(h.value)) return;
    const name = where.subject;
    const subject = where.parameter ? `parameter "${where.parameter}"` : where.property ? `${where.side} property "${where.property}"` : `${where.side} body`;
    const baseType = typeOf(b.value);
    const headType = typeOf(h.value);
    if (baseType && headType && baseType !== headType) {
      this.add({ ...where, change: 'changed-type', breaking: true, at: child(h, 'type'), description: `${name}: ${subject} changed type from ${baseType} to ${headType}` });
      return;
    }
    if (typeof b.value.format === 'string' && typeof h.value.format === 'string' && b.value.format !== h.value.format) {
      this.add({ ...where, change: 'changed-format', breaking: true, at: child(h, 'format'), description: `${name}: ${subject} changed format from ${b.value.format} to ${h.value.format}` });
    }
    this.nullability(b, h, where, name, subject);
    this.enumeration(b, h, where, name, subject);
    this.properties(b, h, where, name, depth, inside);
    if (isRecord(b.value.items) && isRecord(h.value.items)) this.schema(child(b, 'items'), child(h, 'items'), where, depth + 1, inside);
    for (const keyword of ['oneOf', 'anyOf']) this.variants(b, h, keyword, where, depth, inside);
  }

  /**
   * The alternatives of a `oneOf`/`anyOf`, paired by what they are rather than their position (see pairVariants);
   * a paired variant is compared like any schema. A variant removed from a request refuses what writers sent; one
   * added to a response carries what readers were not written for (both breaking, as oasdiff has them). A variant
   * removed from a response breaks only the readers of a property no other variant has; one added to a request
   * is an expansion.
   */
  private variants(b: At, h: At, keyword: string, where: Where, depth: number, within: ReadonlySet<string>): void {
    const [before, after] = [this.variantList(b, keyword), this.variantList(h, keyword)];
    if (!before || !after) return;
    const { pairs, removed, added } = pairVariants(before, after);
    const name = where.subject;
    const body = where.property ? `${where.side} property "${where.property}"` : `${where.side} body`;
    const nested = (property: string) => (where.property ? `${where.property}.${property}` : property);
    const propertiesOf = (variant: Variant) => new Set(this.objectView(variant.resolved).properties.keys());
    const anyOf = (variants: Variant[]) => new Set(variants.flatMap((v) => [...propertiesOf(v)]));
    const own = this.objectView(h).properties;
    for (const [was, now] of pairs) {
      // A writer sends one variant: what only this one has tells its writers from those of the others.
      const telling = isRead(where) ? [] : [...propertiesOf(was)].filter((p) => !own.has(p) && !anyOf(before.filter((v) => v !== was)).has(p)).map(nested);
      this.schema(was.at, now.at, telling.length > 0 ? { ...where, variantProperties: telling } : where, depth + 1, within);
    }
    for (const variant of removed) {
      const only = [...propertiesOf(variant)].filter((p) => !own.has(p) && !anyOf(after).has(p)).map(nested);
      const description = `${name}: ${body} no longer ${isRead(where) ? 'carries' : 'accepts'} the ${keyword} variant ${variant.label}`;
      const at = child(h, keyword);
      if (!isRead(where)) this.add({ ...where, change: 'removed-request-variant', breaking: true, at, description, ...(only.length > 0 ? { properties: only } : {}) });
      else if (where.side === 'response' && only.length > 0) this.add({ ...where, change: 'removed-response-variant', breaking: true, whenUsed: true, at, properties: only, description: `${description} (only it had ${quoted(only)})` });
      else this.add({ ...where, change: `removed-${where.side}-variant`, breaking: false, at, description });
    }
    for (const variant of added) {
      const description = `${name}: ${body} ${isRead(where) ? 'may carry' : 'accepts'} the ${keyword} variant ${variant.label} too`;
      if (!isRead(where)) {
        this.add({ ...where, change: 'added-request-variant', breaking: false, at: variant.at, description });
        continue;
      }
      // What every base variant had, a reader could rely on.
      const lacking = [...anyOf(before)].filter((p) => !own.has(p) && before.every((v) => propertiesOf(v).has(p)) && !propertiesOf(variant).has(p)).map(nested);
      this.add({ ...where, change: `added-${where.side}-variant`, breaking: true, at: variant.at, description: lacking.length > 0 ? `${description} (without ${quoted(lacking)})` : description, ...(lacking.length > 0 ? { properties: lacking } : {}) });
    }
  }

  /** The alternatives a schema lists under a `oneOf`/`anyOf`, each with what identifies it; undefined without such a list. */
  private variantList(schema: At, keyword: string): Variant[] | undefined {
    const list = child(schema, keyword);
    if (!Array.isArray(list.value)) return undefined;
    const variants: Variant[] = [];
    list.value.forEach((_, i) => {
      const at = child(list, i);
      const resolved = this.deref(at);
      if (resolved && isRecord(resolved.value)) variants.push({ at, resolved, label: variantLabel(resolved, i), keys: this.variantKeys(schema, at, resolved) });
    });
    return variants;
  }

  /**
   * What identifies a variant, strongest first: the schema a `$ref` leads to (however the ref is spelled), the
   * discriminator value it stands for (a mapping changed to another schema keeps the value, so the two schemas
   * are compared), its schema name, its title, and its content without descriptions and examples.
   */
  private variantKeys(schema: At, at: At, resolved: At): string[] {
    const keys: string[] = [];
    const isRef = isRecord(at.value) && typeof at.value.$ref === 'string';
    if (isRef) keys.push(`ref ${resolved.doc.file}#/${resolved.path.join('/')}`);
    const discriminator = isRecord(schema.value) && isRecord(schema.value.discriminator) ? schema.value.discriminator : undefined;
    if (discriminator) {
      const mapping = isRecord(discriminator.mapping) ? discriminator.mapping : {};
      for (const [value, ref] of Object.entries(mapping)) {
        const target = typeof ref === 'string' ? this.deref({ doc: schema.doc, path: schema.path, value: { $ref: ref } }) : undefined;
        if (target && target.doc.file === resolved.doc.file && target.path.join('/') === resolved.path.join('/')) keys.push(`value ${value}`);
      }
      const property = typeof discriminator.propertyName === 'string' ? child(child(resolved, 'properties'), discriminator.propertyName) : undefined;
      const values = property && isRecord(property.value) ? (property.value.const !== undefined ? [property.value.const] : property.value.enum) : undefined;
      if (Array.isArray(values) && values.length === 1) keys.push(`value ${String(values[0])}`);
    }
    if (isRef) keys.push(`name ${String(resolved.path.at(-1) ?? resolved.doc.file)}`);
    if (isRecord(resolved.value) && typeof resolved.value.title === 'string') keys.push(`title ${resolved.value.title}`);
    keys.push(`content ${canonical(resolved.value)}`);
    return keys;
  }

  /** A value that may now be null breaks a reader; one that may no longer be null breaks a writer that sends null. */
  private nullability(b: At, h: At, where: Where, name: string, subject: string): void {
    const [was, is] = [nullable(b.value as Json), nullable(h.value as Json)];
    if (was === is) return;
    const at = isRecord(h.value) && 'nullable' in h.value ? child(h, 'nullable') : child(h, 'type');
    if (is) this.add({ ...where, change: 'now-nullable', breaking: isRead(where), at, description: `${name}: ${subject} may now be null` });
    else this.add({ ...where, change: 'no-longer-nullable', breaking: !isRead(where), at, description: `${name}: ${subject} may no longer be null` });
  }

  private enumeration(b: At, h: At, where: Where, name: string, subject: string): void {
    const before = enumValues(b.value as Json);
    const after = enumValues(h.value as Json);
    if (!after) return;
    const removed = before ? before.filter((value) => !after.includes(value)) : undefined;
    const added = before ? after.filter((value) => !before.includes(value)) : [];
    const at = child(h, 'enum');
    if (removed === undefined || removed.length > 0) {
      // A request value the base accepted is refused now; a response with fewer values breaks no reader.
      const what = removed ? `no longer accepts ${removed.join(', ')}` : `is now limited to ${after.join(', ')}`;
      this.add({ ...where, change: 'narrowed-enum', breaking: !isRead(where), at, description: `${name}: ${subject} ${isRead(where) ? `no longer carries ${(removed ?? []).join(', ') || 'other values'}` : what}` });
    }
    if (added.length > 0) this.add({ ...where, change: 'widened-enum', breaking: false, at, description: `${name}: ${subject} ${isRead(where) ? 'may carry' : 'accepts'} ${added.join(', ')} too` });
  }

  private properties(b: At, h: At, where: Where, name: string, depth: number, within: ReadonlySet<string>): void {
    const before = this.objectView(b);
    const after = this.objectView(h);
    if (before.properties.size === 0 && after.properties.size === 0) return;
    const nested = (property: string) => (where.property ? `${where.property}.${property}` : property);
    for (const [property, baseProperty] of before.properties) {
      const path = nested(property);
      const headProperty = after.properties.get(property);
      const inner: Where = { ...where, property: path };
      if (!headProperty) {
        const breaking = isRead(where);
        this.add({ ...inner, change: `removed-${where.side}-property`, breaking, at: { ...after.at, path: [...after.at.path, 'properties', property] }, description: `${name}: ${where.side} property "${path}" was removed` });
        continue;
      }
      if (isRead(where) && before.required.has(property) && !after.required.has(property)) {
        this.add({ ...inner, change: `${where.side}-property-now-optional`, breaking: true, at: headProperty, description: `${name}: ${where.side} property "${path}" is no longer required (may be absent)` });
      }
      if (where.side === 'request' && !before.required.has(property) && after.required.has(property)) {
        this.add({ ...inner, change: 'request-property-now-required', breaking: true, at: headProperty, description: `${name}: request property "${path}" is now required` });
      }
      this.schema(baseProperty, headProperty, inner, depth + 1, within);
    }
    for (const [property, headProperty] of after.properties) {
      if (before.properties.has(property)) continue;
      const path = nested(property);
      const required = !isRead(where) && after.required.has(property);
      const change = isRead(where) ? `added-${where.side}-property` : required ? 'added-required-request-property' : 'added-optional-request-property';
      this.add({ ...where, property: path, change, breaking: required, at: headProperty, description: `${name}: ${required ? 'required ' : where.side === 'request' ? 'optional ' : ''}${where.side} property "${path}" was added` });
    }
  }

  /** The properties and required names of an object schema, `allOf` members merged in. */
  private objectView(schema: At, depth = 0): { at: At; properties: Map<string, At>; required: Set<string> } {
    const view = { at: schema, properties: new Map<string, At>(), required: new Set<string>() };
    const value = schema.value as Json;
    const properties = child(schema, 'properties');
    if (isRecord(properties.value)) for (const name of Object.keys(properties.value)) view.properties.set(name, child(properties, name));
    if (Array.isArray(value.required)) for (const name of value.required) if (typeof name === 'string') view.required.add(name);
    const members = child(schema, 'allOf');
    if (Array.isArray(members.value) && depth < 4) {
      members.value.forEach((_, i) => {
        const member = this.deref(child(members, i));
        if (!member || !isRecord(member.value)) return;
        const inner = this.objectView(member, depth + 1);
        for (const [name, at] of inner.properties) if (!view.properties.has(name)) view.properties.set(name, at);
        for (const name of inner.required) view.required.add(name);
      });
    }
    return view;
  }

  /** Follows `$ref`s, into other files of the same side; undefined for a ref that leads nowhere (or out of the repository). */
  private deref(at: At): At | undefined {
    let current = at;
    for (let hops = 0; hops < 16; hops++) {
      if (!isRecord(current.value) || typeof current.value.$ref !== 'string') return current.value === undefined ? undefined : current;
      const ref = current.value.$ref;
      const target = refTarget(ref, current.doc.file);
      if (target?.refused) return undefined;
      const doc = target?.file === undefined ? current.doc : this.load(current.doc, target.file);
      if (!doc) return undefined;
      const path = pointerPath(target ? target.pointer : ref);
      let next: At = root(doc);
      for (const key of path) next = child(next, key);
      current = next;
    }
    return undefined;
  }

  /** Another file on the same side as `from` (the side whose loader gave that document). */
  private load(from: ApiDocument, file: string): ApiDocument | undefined {
    return this.sideOf.get(from) === 'base' ? this.remember(this.loadBase(file), 'base') : this.remember(this.loadHead(file), 'head');
  }

  private readonly sideOf = new WeakMap<ApiDocument, 'base' | 'head'>();

  private remember(doc: ApiDocument | undefined, side: 'base' | 'head'): ApiDocument | undefined {
    if (doc) this.sideOf.set(doc, side);
    return doc;
  }

  /** Marks the two root documents with their sides (before any ref is followed). */
  sides(base: ApiDocument | undefined, head: ApiDocument | undefined): void {
    this.remember(base, 'base');
    this.remember(head, 'head');
  }
}

/** An alternative of a `oneOf`/`anyOf`: where it is listed, the schema it is, and what identifies it (variantKeys). */
interface Variant {
  at: At;
  resolved: At;
  label: string;
  keys: string[];
}

/**
 * Base and head variants paired by identity, key kind by key kind (reordering and re-spelling pair them); of
 * those left, one on each side is the same variant changed in place. The rest were removed or added.
 */
function pairVariants(before: Variant[], after: Variant[]): { pairs: [Variant, Variant][]; removed: Variant[]; added: Variant[] } {
  const pairs: [Variant, Variant][] = [];
  const [removed, added] = [[...before], [...after]];
  const kinds = ['ref', 'value', 'name', 'title', 'content'];
  for (const kind of kinds) {
    for (const was of [...removed]) {
      const key = was.keys.find((k) => k.startsWith(`${kind} `));
      const now = key === undefined ? undefined : added.find((v) => v.keys.includes(key));
      if (!now) continue;
      pairs.push([was, now]);
      removed.splice(removed.indexOf(was), 1);
      added.splice(added.indexOf(now), 1);
    }
  }
  if (removed.length === 1 && added.length === 1) pairs.push([removed.pop()!, added.pop()!]);
  return { pairs, removed, added };
}

/** A variant as descriptions name it: its schema name, its title, else its place in the list. */
function variantLabel(resolved: At, index: number): string {
  const last = resolved.path.at(-1);
  if (typeof last === 'string' && last !== '') return last;
  if (isRecord(resolved.value) && typeof resolved.value.title === 'string') return resolved.value.title;
  const type = isRecord(resolved.value) ? typeOf(resolved.value) : undefined;
  return `#${index + 1}${type ? ` (${type})` : ''}`;
}

/** Annotations that never change what a schema accepts. */
const ANNOTATIONS = new Set(['description', 'summary', 'title', 'example', 'examples', 'externalDocs', 'deprecated', '$comment']);

/** A schema's content as a string, keys sorted and annotations left out: equal for schemas that accept the same values. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (!isRecord(value)) return JSON.stringify(value) ?? 'null';
  const keys = Object.keys(value).filter((key) => !ANNOTATIONS.has(key) && !key.startsWith('x-')).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`).join(',')}}`;
}

function quoted(names: string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

interface OperationAt {
  method: string;
  path: string;
  /** The path item (for its shared parameters) and the operation. */
  item: At;
  at: At;
}


/** The refs a pair of schemas is written as (`a.yaml:#/Node b.yaml:#/Node`), undefined when neither is a ref. */
function refKey(b: At, h: At): string | undefined {
  const ref = (at: At) => (isRecord(at.value) && typeof at.value.$ref === 'string' ? `${at.doc.file}:${at.value.$ref}` : '');
  const key = `${ref(b)} ${ref(h)}`;
  return key === ' ' ? undefined : key;
}

/** The schema of a parameter: OpenAPI 3's `schema` (or that of its `content`, a JSON-encoded query filter), or the parameter itself in Swagger 2.0 (type, format and enum on it). */
function parameterSchema(parameter: At): At {
  const schema = child(parameter, 'schema');
  return schema.value !== undefined ? schema : (mediaSchema(parameter) ?? parameter);
}

/** The JSON schema of a response: OpenAPI 3's media type, Swagger 2.0's `schema`. */
function responseSchema(response: At): At | undefined {
  return mediaSchema(response) ?? (isRecord((response.value as Json).schema) ? child(response, 'schema') : undefined);
}

/** The schema of `content`'s JSON media type (else its first). */
function mediaSchema(at: At): At | undefined {
  const content = child(at, 'content');
  if (!isRecord(content.value)) return undefined;
  const types = Object.keys(content.value);
  const type = types.find((t) => /json/i.test(t)) ?? types[0];
  return type === undefined ? undefined : child(child(content, type), 'schema');
}

/** Whether a schema allows null: `nullable: true` (OpenAPI 3.0, Swagger's `x-nullable`) or `null` among its types (3.1). */
function nullable(schema: Json): boolean {
  return schema.nullable === true || schema['x-nullable'] === true || (Array.isArray(schema.type) && schema.type.includes('null'));
}

/** The type as a comparable string: `string`, `integer`, `[string, null]` without the null (nullability is compared on its own). */
function typeOf(schema: Json): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const types = type.filter((t): t is string => typeof t === 'string' && t !== 'null').sort();
    return types.length > 0 ? types.join('|') : undefined;
  }
  return undefined;
}

function enumValues(schema: Json): string[] | undefined {
  return Array.isArray(schema.enum) ? schema.enum.map((value) => JSON.stringify(value)) : undefined;
}

/** `#/components/schemas/Order` → ['components', 'schemas', 'Order'] (JSON pointer escapes undone). */
function pointerPath(pointer: string): string[] {
  const inner = pointer.replace(/^#/, '');
  if (inner === '' || inner === '/') return [];
  return inner
    .split('/')
    .slice(1)
    .map((part) => {
      let decoded = part;
      try {
        decoded = decodeURIComponent(part);
      } catch {
        // kept as written
      }
      return decoded.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}
