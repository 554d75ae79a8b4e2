/*
 * The standard library the contract comparison declares, in place of TypeScript's own (`lib.es2023.d.ts`: 61
 * files whose parsing and binding took most of a comparison's time). A contract compares the same standard
 * types on both sides, so only their names and type parameters matter, and the shapes the checker needs to
 * relate two instantiations (`Promise<A>` and `Promise<B>` through `then`, arrays through their elements).
 * A standard type not declared here is unresolved, and its written text is compared instead, as for a
 * dependency's type.
 */

/** Where the comparison's project holds it. */
export const STANDARD_LIBRARY_FILE = '/standard-library.d.ts';

export const STANDARD_LIBRARY = `
interface Object {}
interface ObjectConstructor {
  keys(o: object): string[];
  values<T>(o: { [key: string]: T } | ArrayLike<T>): T[];
  entries<T>(o: { [key: string]: T } | ArrayLike<T>): [string, T][];
  fromEntries<T = any>(entries: Iterable<readonly [PropertyKey, T]>): { [key: string]: T };
  assign<T extends {}, U>(target: T, source: U): T & U;
  freeze<T>(o: T): Readonly<T>;
}
declare var Object: ObjectConstructor;
interface JSON { parse(text: string): any; stringify(value: any, replacer?: any, space?: string | number): string }
declare var JSON: JSON;
interface Function {}
interface CallableFunction extends Function {}
interface NewableFunction extends Function {}
interface IArguments { length: number; [index: number]: any }
interface String { readonly length: number }
interface Number {}
interface Boolean {}
interface BigInt {}
interface Symbol {}
interface SymbolConstructor { readonly iterator: unique symbol; readonly asyncIterator: unique symbol }
declare var Symbol: SymbolConstructor;
interface RegExp {}
interface Error { name: string; message: string; stack?: string }
interface Date { getTime(): number }
interface ArrayLike<T> { readonly length: number; readonly [index: number]: T }
interface ReadonlyArray<T> {
  readonly length: number;
  readonly [index: number]: T;
  [Symbol.iterator](): IterableIterator<T>;
  at(index: number): T | undefined;
  concat(...items: (T | ConcatArray<T>)[]): T[];
  entries(): IterableIterator<[number, T]>;
  every(predicate: (value: T, index: number, array: readonly T[]) => unknown): boolean;
  filter<S extends T>(predicate: (value: T, index: number, array: readonly T[]) => value is S): S[];
  filter(predicate: (value: T, index: number, array: readonly T[]) => unknown): T[];
  find<S extends T>(predicate: (value: T, index: number, obj: readonly T[]) => value is S): S | undefined;
  find(predicate: (value: T, index: number, obj: readonly T[]) => unknown): T | undefined;
  findIndex(predicate: (value: T, index: number, obj: readonly T[]) => unknown): number;
  flatMap<U>(callback: (value: T, index: number, array: T[]) => U | ReadonlyArray<U>): U[];
  forEach(callback: (value: T, index: number, array: readonly T[]) => void): void;
  includes(searchElement: T, fromIndex?: number): boolean;
  indexOf(searchElement: T, fromIndex?: number): number;
  join(separator?: string): string;
  keys(): IterableIterator<number>;
  map<U>(callback: (value: T, index: number, array: readonly T[]) => U): U[];
  reduce(callback: (previous: T, current: T, index: number, array: readonly T[]) => T): T;
  reduce<U>(callback: (previous: U, current: T, index: number, array: readonly T[]) => U, initial: U): U;
  slice(start?: number, end?: number): T[];
  some(predicate: (value: T, index: number, array: readonly T[]) => unknown): boolean;
  values(): IterableIterator<T>;
}
interface ConcatArray<T> { readonly length: number; readonly [index: number]: T; join(separator?: string): string; slice(start?: number, end?: number): T[] }
interface Array<T> extends ReadonlyArray<T> {
  length: number;
  [index: number]: T;
  filter<S extends T>(predicate: (value: T, index: number, array: T[]) => value is S): S[];
  filter(predicate: (value: T, index: number, array: T[]) => unknown): T[];
  pop(): T | undefined;
  push(...items: T[]): number;
  reverse(): T[];
  shift(): T | undefined;
  sort(compare?: (a: T, b: T) => number): this;
  splice(start: number, deleteCount?: number, ...items: T[]): T[];
  unshift(...items: T[]): number;
}
interface ArrayConstructor {
  isArray(value: any): value is any[];
  from<T>(iterable: Iterable<T> | ArrayLike<T>): T[];
  from<T, U>(iterable: Iterable<T> | ArrayLike<T>, map: (value: T, index: number) => U): U[];
  of<T>(...items: T[]): T[];
}
declare var Array: ArrayConstructor;
interface TemplateStringsArray extends ReadonlyArray<string> { readonly raw: readonly string[] }
interface PromiseLike<T> { then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null): PromiseLike<R1 | R2> }
interface Promise<T> {
  then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2>;
  catch<R = never>(onrejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R>;
  finally(onfinally?: (() => void) | null): Promise<T>;
}
interface PromiseConstructor {
  new <T>(executor: (resolve: (value: T | PromiseLike<T>) => void, reject: (reason?: any) => void) => void): Promise<T>;
  all<T extends readonly unknown[] | []>(values: T): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }>;
  resolve<T>(value: T): Promise<Awaited<T>>;
  reject<T = never>(reason?: any): Promise<T>;
}
declare var Promise: PromiseConstructor;
interface ReadonlyMap<K, V> {
  [Symbol.iterator](): IterableIterator<[K, V]>;
  entries(): IterableIterator<[K, V]>;
  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void;
  get(key: K): V | undefined;
  has(key: K): boolean;
  keys(): IterableIterator<K>;
  readonly size: number;
  values(): IterableIterator<V>;
}
interface Map<K, V> extends ReadonlyMap<K, V> { clear(): void; delete(key: K): boolean; set(key: K, value: V): this }
interface MapConstructor { new <K, V>(entries?: Iterable<readonly [K, V]> | null): Map<K, V> }
declare var Map: MapConstructor;
interface ReadonlySet<T> {
  [Symbol.iterator](): IterableIterator<T>;
  forEach(callback: (value: T, value2: T, set: ReadonlySet<T>) => void): void;
  has(value: T): boolean;
  readonly size: number;
  values(): IterableIterator<T>;
}
interface Set<T> extends ReadonlySet<T> { add(value: T): this; clear(): void; delete(value: T): boolean }
interface SetConstructor { new <T>(values?: Iterable<T> | null): Set<T> }
declare var Set: SetConstructor;
interface WeakMap<K extends object, V> { get(key: K): V | undefined }
interface WeakSet<T extends object> { has(value: T): boolean }
interface Iterator<T, TReturn = any, TNext = any> { next(...args: [] | [TNext]): { done?: false; value: T } | { done: true; value: TReturn } }
interface Iterable<T, TReturn = any, TNext = any> { [Symbol.iterator](): Iterator<T, TReturn, TNext> }
interface IterableIterator<T, TReturn = any, TNext = any> extends Iterator<T, TReturn, TNext> { [Symbol.iterator](): IterableIterator<T, TReturn, TNext> }
interface AsyncIterator<T, TReturn = any, TNext = any> { next(...args: [] | [TNext]): Promise<{ done?: false; value: T } | { done: true; value: TReturn }> }
interface AsyncIterable<T, TReturn = any, TNext = any> { [Symbol.asyncIterator](): AsyncIterator<T, TReturn, TNext> }
interface AsyncIterableIterator<T, TReturn = any, TNext = any> extends AsyncIterator<T, TReturn, TNext> { [Symbol.asyncIterator](): AsyncIterableIterator<T, TReturn, TNext> }
interface Generator<T = unknown, TReturn = any, TNext = any> extends Iterator<T, TReturn, TNext> { [Symbol.iterator](): Generator<T, TReturn, TNext> }
interface AsyncGenerator<T = unknown, TReturn = any, TNext = any> extends AsyncIterator<T, TReturn, TNext> { [Symbol.asyncIterator](): AsyncGenerator<T, TReturn, TNext> }
interface ArrayBuffer { readonly byteLength: number }
interface Uint8Array { readonly length: number; [index: number]: number }
type PropertyKey = string | number | symbol;
type Partial<T> = { [P in keyof T]?: T[P] };
type Required<T> = { [P in keyof T]-?: T[P] };
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type Pick<T, K extends keyof T> = { [P in K]: T[P] };
type Record<K extends keyof any, T> = { [P in K]: T };
type Exclude<T, U> = T extends U ? never : T;
type Extract<T, U> = T extends U ? T : never;
type Omit<T, K extends keyof any> = Pick<T, Exclude<keyof T, K>>;
type NonNullable<T> = T & {};
type Parameters<T extends (...args: any) => any> = T extends (...args: infer P) => any ? P : never;
type ConstructorParameters<T extends abstract new (...args: any) => any> = T extends abstract new (...args: infer P) => any ? P : never;
type ReturnType<T extends (...args: any) => any> = T extends (...args: any) => infer R ? R : any;
type InstanceType<T extends abstract new (...args: any) => any> = T extends abstract new (...args: any) => infer R ? R : any;
type Awaited<T> = T extends null | undefined ? T : T extends object & { then(onfulfilled: infer F, ...args: infer _): any } ? F extends (value: infer V, ...args: infer _) => any ? Awaited<V> : never : T;
type Uppercase<S extends string> = intrinsic;
type Lowercase<S extends string> = intrinsic;
type Capitalize<S extends string> = intrinsic;
type Uncapitalize<S extends string> = intrinsic;
type NoInfer<T> = intrinsic;
`;
