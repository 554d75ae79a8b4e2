import { describe, expect, it } from 'vitest';
import { extractFileFacts } from '../src/facts/index.js';
import { HclSyntaxError, parseHcl, possibleStrings } from '../src/util/hcl.js';

describe('the HCL reader', () => {
  it('reads blocks, labels, attributes, templates, heredocs, tuples, objects and calls, past comments', () => {
    const body = parseHcl(`# a comment
variable "TAG" { default = "dev" }
/* a block
   comment */
target "api" {
  // inline
  context = "./apps/\${NAME}"
  args = {
    CMD = "wget http://127.0.0.1:$\${PORT}/ready"
    "QUOTED": "x\\u00e9\\"y"
  }
  tags = [
    "acme/api:\${TAG}",
    tag("api", TAG),
  ]
  platforms = [for p in PLATFORMS: upper(p) if p != ""]
  note = <<-EOT
    two
    lines
  EOT
  count = 2 * (1 + length(tags))
}
`);
    expect(body.blocks.map((b) => [b.type, b.labels])).toEqual([['variable', ['TAG']], ['target', ['api']]]);
    const target = body.blocks[1].attributes;
    expect(target.get('context')).toEqual({ kind: 'string', text: './apps/${NAME}' });
    expect(target.get('args')).toEqual({
      kind: 'object',
      entries: [
        ['CMD', { kind: 'string', text: 'wget http://127.0.0.1:$${PORT}/ready' }],
        ['QUOTED', { kind: 'string', text: 'xé"y' }],
      ],
    });
    expect(target.get('tags')).toEqual({
      kind: 'tuple',
      items: [
        { kind: 'string', text: 'acme/api:${TAG}' },
        { kind: 'call', name: 'tag', args: [{ kind: 'string', text: 'api' }, { kind: 'reference', name: 'TAG' }] },
      ],
    });
    expect(target.get('note')).toEqual({ kind: 'string', text: '    two\n    lines' });
    expect(target.get('count')?.kind).toBe('expression');
  });

  it('gives the strings a conditional may evaluate to, not those of its condition', () => {
    const body = parseHcl('x = notequal("", TAG) ? BUILD == "ci" ? "a:${TAG}" : "b" : ""\ny = A == "c" ? "d" : E ? "f" : "g"\n');
    expect(possibleStrings(body.attributes.get('x')!)).toEqual(['a:${TAG}', 'b', '']);
    expect(possibleStrings(body.attributes.get('y')!)).toEqual(['d', 'f', 'g']);
  });

  it('reports what it cannot read with its place', () => {
    expect(() => parseHcl('target "a" {\n  context = \n}\n')).toThrow(HclSyntaxError);
    expect(() => parseHcl('target "a" {\n  tags = ["a"\n')).toThrow(/expected/);
    expect(() => parseHcl('a = "unterminated\n')).toThrow(/unterminated string/);
  });
});

describe('Bake files', () => {
  it('give each target its images and folders, following inherits, variables, ${PWD} and the file\'s functions', () => {
    const facts = extractFileFacts(
      'docker/bake.hcl',
      `variable "REGISTRY" { default = "ghcr.io/acme/" }
variable "PWD" { default = "." }
function "tag" {
  params = [name, version]
  result = notequal("", version) ? "\${REGISTRY}\${name}:\${version}" : ""
}
target "base" {
  dockerfile = "\${PWD}/docker/node.Dockerfile"
  contexts = { shared = "\${PWD}/docker/shared" }
}
target "orders" {
  inherits = ["base", base_target()]
  contexts = {
    dist = "\${PWD}/services/orders/dist"
    alpine = "docker-image://alpine:3.20"
    proto = "target:proto"
  }
  tags = [tag("orders", SHA), "\${REGISTRY}orders:latest", "\${UNKNOWN}"]
}
target "web" {
  context = "apps/web"
  dockerfile = "deploy/Dockerfile"
  target = "runtime"
}
`,
    );
    expect(facts.diagnostics).toEqual([]);
    expect(facts.bakeTargets?.map(({ location, ...target }) => ({ ...target, line: location.line }))).toEqual([
      { name: 'base', images: [], context: '', dockerfile: 'docker/node.Dockerfile', contexts: ['docker/shared'], line: 7 },
      { name: 'orders', images: ['ghcr.io/acme/orders:${version}', 'ghcr.io/acme/orders:latest'], context: '', dockerfile: 'docker/node.Dockerfile', contexts: ['docker/shared', 'services/orders/dist'], line: 11 },
      { name: 'web', images: [], context: 'apps/web', dockerfile: 'apps/web/deploy/Dockerfile', contexts: [], target: 'runtime', line: 20 },
    ]);
  });

  it('read the JSON form, and leave other HCL (Terraform, Packer) alone', () => {
    const json = extractFileFacts('deploy/docker-bake.json', JSON.stringify({ variable: { TAG: { default: 'v1' } }, target: { api: { context: 'apps/api', tags: ['acme/api:${TAG}'] } } }));
    expect(json.bakeTargets?.map((t) => [t.name, t.images, t.context, t.location.line])).toEqual([['api', ['acme/api:v1'], 'apps/api', 1]]);
    const terraform = extractFileFacts('infra/terragrunt.hcl', 'include "root" {\n  path = find_in_parent_folders()\n}\n');
    expect([terraform.bakeTargets, terraform.diagnostics]).toEqual([undefined, []]);
  });

  it('report a Bake file they cannot read', () => {
    const facts = extractFileFacts('docker-bake.hcl', 'target "api" {\n  tags = ["acme/api"\n}\n');
    expect(facts.diagnostics.map((d) => [d.code, d.line])).toEqual([['invalid-hcl', 3]]);
  });

  it('are found where CI workflows run them: `docker buildx bake -f` from the working directory, and docker/bake-action files', () => {
    const facts = extractFileFacts(
      '.github/workflows/images.yml',
      `jobs:
  images:
    runs-on: ubuntu-latest
    steps:
      - run: docker buildx bake --file=images.hcl --push && docker buildx bake -f \${{ env.FILE }}
        working-directory: deploy
      - uses: docker/bake-action@v5
        with:
          workdir: ./docker
          files: |
            docker-bake.hcl
            ./overrides.hcl
`,
    );
    expect(facts.workflowBakeFiles?.map(({ file, from }) => [file, from])).toEqual([
      ['deploy/images.hcl', 'deploy'],
      ['docker/docker-bake.hcl', 'docker'],
      ['docker/overrides.hcl', 'docker'],
    ]);
  });
});
