import type { DockerfileStage, FileFacts } from '../model.js';
import { dirOf, joinPosix } from '../util/paths.js';

/** A Go program: a `package main` folder, and the folder of the code it runs. */
export interface GoProgram {
  /** The folder of the `package main`. */
  main: string;
  /**
   * The folder of the component: the one package of its module it hands over to (a `build/api` main that only
   * calls `svc/api`'s Run, besides helpers beside it in build/), else, or when the main has packages of its
   * own, the main folder itself.
   */
  dir: string;
}

/** Go programs by their main folder (the repository root never is one). */
export function goPrograms(facts: FileFacts[]): Map<string, GoProgram> {
  const modules = facts.flatMap(({ file, goModule }) => (goModule ? [{ dir: dirOf(file), path: goModule }] : []));
  const packageDirs = new Set(facts.filter((f) => f.goPackage).map((f) => dirOf(f.file)));
  const mainImports = new Map<string, Set<string>>();
  for (const { file, goPackage } of facts) {
    if (goPackage?.name !== 'main' || dirOf(file) === '') continue;
    const imports = mainImports.get(dirOf(file)) ?? new Set<string>();
    for (const path of goPackage.imports) imports.add(path);
    mainImports.set(dirOf(file), imports);
  }
  const programs = new Map<string, GoProgram>();
  for (const [main, imports] of mainImports) {
    const module = modules.filter((m) => m.dir === '' || main.startsWith(`${m.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
    const local = module
      ? [...imports].filter((path) => path.startsWith(`${module.path}/`)).map((path) => joinPosix(module.dir, path.slice(module.path.length + 1)))
      : [];
    const helpersFolder = dirOf(main);
    const inside = (dir: string, folder: string) => folder === '' || dir === folder || dir.startsWith(`${folder}/`);
    // A main with packages of its own (main/store) is the program's code itself.
    const runs = local.some((dir) => inside(dir, main)) ? [] : local.filter((dir) => packageDirs.has(dir) && !inside(dir, helpersFolder));
    programs.set(main, { main, dir: runs.length === 1 ? runs[0] : main });
  }
  return programs;
}

/**
 * The folders, relative to the build context, that a Dockerfile stage compiles, with the stages it is built
 * FROM and, of a stage it copies from, the builds whose binary it copies (all of them when none matches): each
 * `go build` package traced back through the COPY that put it in the image.
 */
export function stageBuiltPaths(stages: DockerfileStage[], stage: DockerfileStage): string[] {
  const paths = new Set<string>();
  const named = (name: string | undefined) => stages.find((s) => s.name !== undefined && s.name === name);
  const visit = (current: DockerfileStage, copied: string[] | undefined, seen: DockerfileStage[]) => {
    if (seen.includes(current)) return;
    const copies = baseChain(current, named).flatMap((s) => s.copies.filter((c) => c.fromStage === undefined));
    const wanted = current.goBuilds.filter(({ output }) => copied?.some((path) => output === path || output.startsWith(`${path.replace(/\/$/, '')}/`)));
    for (const build of copied === undefined || wanted.length === 0 ? current.goBuilds : wanted) {
      for (const path of contextPaths(build.package, copies)) paths.add(path);
    }
    const base = named(current.from);
    if (base) visit(base, copied, [...seen, current]);
    for (const { fromStage, sources } of current.copies) {
      const source = named(fromStage);
      if (source) visit(source, sources, [...seen, current]);
    }
  };
  visit(stage, undefined, []);
  return [...paths];
}

/** A stage and the stages it is built FROM, nearest first. */
function baseChain(stage: DockerfileStage, named: (name: string) => DockerfileStage | undefined): DockerfileStage[] {
  const chain: DockerfileStage[] = [];
  for (let current: DockerfileStage | undefined = stage; current && !chain.includes(current); current = named(current.from)) chain.push(current);
  return chain;
}

/**
 * Where a path inside the image came from in the context: the deepest COPY destination that holds it. Only a
 * single-source COPY is traced: with several, what lands where depends on which sources are files.
 */
function contextPaths(target: string, copies: DockerfileStage['copies']): string[] {
  const holding = copies.filter(({ sources, destination }) => sources.length === 1 && (destination === '/' || target === destination || target.startsWith(`${destination}/`)));
  const deepest = Math.max(-1, ...holding.map((c) => c.destination.length));
  return holding
    .filter((c) => c.destination.length === deepest)
    .flatMap(({ sources, destination }) => {
      const rest = target.slice(destination.length).replace(/^\//, '');
      return sources.filter((source) => !source.includes('$') && !/^[a-z]+:\/\//i.test(source)).map((source) => joinPosix(source.replace(/^\.?\/+/, ''), rest));
    });
}
