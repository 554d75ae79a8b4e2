import { posix } from 'node:path';
import type { DockerfileStage } from '../model.js';
import { isContainerFile } from '../discover/classify.js';
import type { FileExtractor } from './index.js';

/** `go build` flags that take the next word as their value. */
const GO_VALUE_FLAGS = new Set(['-o', '-C', '-p', '-ldflags', '-gcflags', '-asmflags', '-tags', '-mod', '-modfile', '-pkgdir', '-buildmode', '-compiler', '-installsuffix', '-overlay', '-pgo']);

/**
 * Dockerfiles and Containerfiles: each stage's name and base, what it copies from the build context or an
 * earlier stage, the folders `go build` compiles in it, and its ENTRYPOINT and CMD. Paths inside the image
 * are resolved against WORKDIR; which context folder they come from is discovery's to say.
 */
export const dockerfileExtractor: FileExtractor = {
  name: 'dockerfile',
  matches: (file) => isContainerFile(file.slice(file.lastIndexOf('/') + 1)),
  extract: (input, facts) => {
    const stages: DockerfileStage[] = [];
    const finalWorkdir = new Map<DockerfileStage, string>();
    let workdir = '/';
    for (const { instruction, argument, line } of instructions(input.text)) {
      if (instruction === 'FROM') {
        const [from = '', as, name] = words(argument).filter((word) => !word.startsWith('--'));
        const base = stages.find((stage) => stage.name !== undefined && stage.name === from);
        workdir = (base && finalWorkdir.get(base)) ?? '/';
        stages.push({ from, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), location: { file: input.file, line, column: 1 }, copies: [], goBuilds: [] });
        continue;
      }
      const stage = stages.at(-1);
      if (!stage) continue;
      if (instruction === 'WORKDIR') workdir = posix.resolve(workdir, argument.trim());
      else if (instruction === 'COPY' || instruction === 'ADD') stage.copies.push(copy(argument, workdir));
      else if (instruction === 'RUN') stage.goBuilds.push(...goBuilds(argument, workdir));
      else if (instruction === 'ENTRYPOINT') stage.entrypoint = argument.trim();
      else if (instruction === 'CMD') stage.command = argument.trim();
      finalWorkdir.set(stage, workdir);
    }
    if (stages.length > 0) facts.dockerfileStages = stages;
  },
};

/** The logical instructions of a Dockerfile: continuation lines joined, comments and blank lines skipped. */
function* instructions(text: string): Generator<{ instruction: string; argument: string; line: number }> {
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const start = index;
    let logical = lines[index];
    if (/^\s*(#|$)/.test(logical)) continue;
    while (/\\\s*$/.test(logical) && index + 1 < lines.length) {
      logical = logical.replace(/\\\s*$/, ' ');
      index++;
      if (!/^\s*#/.test(lines[index])) logical += lines[index];
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(logical);
    if (match) yield { instruction: match[1].toUpperCase(), argument: match[2], line: start + 1 };
  }
}

/** `COPY [--from=stage] [--chown=…] src… dest` or its JSON form. */
function copy(argument: string, workdir: string): DockerfileStage['copies'][number] {
  const all = words(argument);
  const fromStage = all.find((word) => word.startsWith('--from='))?.slice('--from='.length);
  const paths = all.filter((word) => !word.startsWith('--'));
  const destination = posix.resolve(workdir, paths.at(-1) ?? '.');
  return { sources: paths.slice(0, -1), destination, ...(fromStage ? { fromStage } : {}) };
}

/**
 * What `go build` and `go install` compile in a RUN command: each package folder (`.` when it names none) and
 * the binary it writes, as Go names it: `-o file`, `-o dir/` (or `-o dir` for several packages) plus the
 * package's name, the package's name in WORKDIR, or in /go/bin for `go install`.
 */
function goBuilds(command: string, workdir: string): DockerfileStage['goBuilds'] {
  const builds: DockerfileStage['goBuilds'] = [];
  for (const segment of command.split(/&&|\|\||;|\|/)) {
    const match = /\bgo\s+(build|install)\b(.*)$/.exec(segment);
    if (!match) continue;
    const parts = words(match[2]);
    // Packages named by import path (github.com/acme/x) are not traced; none named at all means WORKDIR's.
    const named: string[] = [];
    let output: string | undefined;
    for (let i = 0; i < parts.length; i++) {
      const [flag, value] = parts[i].replace(/^--/, '-').split('=', 2);
      if (flag === '-o') output = value ?? parts[i + 1];
      if (!parts[i].startsWith('-')) named.push(parts[i].replace(/\/\.\.\.$/, '') || '.');
      else if (value === undefined && GO_VALUE_FLAGS.has(flag)) i++;
    }
    const paths = named.length === 0 ? ['.'] : named.filter((path) => /^\.{1,2}(\/|$)|^\//.test(path));
    const packages = paths.map((path) => posix.resolve(workdir, path));
    const intoFolder = output !== undefined && (output.endsWith('/') || packages.length > 1);
    for (const pkg of packages) {
      const binary = posix.basename(pkg);
      const written = match[1] === 'install' ? `/go/bin/${binary}` : output === undefined ? posix.resolve(workdir, binary) : intoFolder ? posix.resolve(workdir, output, binary) : posix.resolve(workdir, output);
      builds.push({ package: pkg, output: written });
    }
  }
  return builds;
}

/** Shell-like words, or the items of a JSON array form (`["a", "b"]`). */
function words(argument: string): string[] {
  const trimmed = argument.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // Not JSON after all: read it as words.
    }
  }
  return trimmed.split(/\s+/).filter(Boolean).map((word) => word.replace(/^["']|["']$/g, ''));
}
