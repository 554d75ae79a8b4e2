/**
 * Scoring arch-lint's findings against corpus labels (format and matching in corpus/README.md).
 * Pure functions of a label file, a JSON report and the `services` listing: no disk, no processes,
 * so that the matcher is unit-tested on small synthetic inputs.
 */
import picomatch from 'picomatch';

/** The verdict of one finding: right when it matches expect or debatable, wrong when it matches forbid. */
export const VERDICTS = ['expect', 'debatable', 'forbid', 'unlabelled'];

/**
 * Names by which a label may refer to each component: its id (package name) and its folder.
 * Returns id → Set of names.
 */
export function componentNames(components) {
  const names = new Map();
  for (const component of components) names.set(component.id, new Set([component.id, component.dir]));
  return names;
}

function namesOf(serviceId, names) {
  return names.get(serviceId) ?? new Set([serviceId]);
}

function refersTo(labelService, serviceId, names) {
  return namesOf(serviceId, names).has(stripSlash(labelService));
}

function stripSlash(name) {
  return name.length > 1 && name.endsWith('/') ? name.slice(0, -1) : name;
}

const globCache = new Map();
function fileMatcher(pattern) {
  let matcher = globCache.get(pattern);
  if (!matcher) {
    matcher = picomatch(pattern, { dot: true });
    globCache.set(pattern, matcher);
  }
  return matcher;
}

/** Every location a finding carries: its own and its related ones. */
function locationsOf(finding) {
  return [finding.location, ...(finding.related ?? []).map((related) => related.location)].filter(Boolean);
}

/** The database identities a finding names in its message or its related messages (`the Redis redis://cache:6379/0`, `database "postgres://db:5432/shop"`). */
function databasesOf(finding) {
  const texts = [finding.message, ...(finding.related ?? []).map((related) => related.message ?? '')];
  return texts.flatMap((text) => [...text.matchAll(/\b[a-z][\w+.-]*:\/\/[^\s",);]*/g)].map((match) => match[0]));
}

/** True when the finding satisfies every key the label gives. */
export function matchesLabel(finding, label, names) {
  if (label.rule !== undefined && finding.ruleId !== label.rule) return false;
  const services = finding.services ?? [];
  if (label.services !== undefined) {
    if (services.length !== new Set(label.services.map(stripSlash)).size) return false;
    if (!label.services.every((wanted) => services.some((id) => refersTo(wanted, id, names)))) return false;
  }
  if (label.includes !== undefined) {
    if (!label.includes.every((wanted) => services.some((id) => refersTo(wanted, id, names)))) return false;
  }
  if (label.database !== undefined && !databasesOf(finding).some((identity) => identity.includes(label.database))) return false;
  if (label.file !== undefined) {
    const isFile = fileMatcher(label.file);
    const inFile = locationsOf(finding).filter((location) => isFile(location.file));
    if (inFile.length === 0) return false;
    if (label.line !== undefined && !inFile.some((location) => location.line === label.line)) return false;
  }
  return true;
}

function firstMatch(finding, entries, names) {
  const index = entries.findIndex((label) => matchesLabel(finding, label, names));
  return index < 0 ? undefined : index;
}

/**
 * Scores one repository: each finding gets a verdict (forbid wins over expect and debatable: a finding
 * that hits a must-not label is wrong whatever else it matches), each expect label is found or missed,
 * each labelled deployable is found as a deployable or not, and as the kind labelled or not (a frontend found as a
 * service is a deployable of the wrong kind: hosts resolve to it and the service rules count it).
 */
export function scoreRepository(labels, report, components) {
  const names = componentNames(components);
  const findings = report.findings
    .filter((finding) => finding.ruleId !== 'unused-suppression')
    .map((finding) => {
      const forbid = firstMatch(finding, labels.forbid, names);
      const expect = firstMatch(finding, labels.expect, names);
      const debatable = firstMatch(finding, labels.debatable, names);
      const verdict =
        forbid !== undefined ? 'forbid' : expect !== undefined ? 'expect' : debatable !== undefined ? 'debatable' : 'unlabelled';
      const label = { forbid, expect, debatable, unlabelled: undefined }[verdict];
      return { finding, verdict, label };
    });
  const expected = labels.expect.map((label, index) => ({
    index,
    label,
    found: findings.some(({ finding }) => matchesLabel(finding, label, names)),
  }));
  const byDir = new Map(components.map((component) => [stripSlash(component.dir), component]));
  const deployables = labels.deployables.map((deployable) => {
    const component = byDir.get(stripSlash(deployable.dir));
    const kind = component?.kind;
    return {
      dir: deployable.dir,
      kind: deployable.kind,
      foundAs: kind ?? 'missing',
      found: kind === 'service' || kind === 'job' || kind === 'frontend',
      sameKind: kind === deployable.kind,
    };
  });
  return { findings, expected, deployables };
}

function emptyRuleTally() {
  return { findings: 0, expect: 0, debatable: 0, forbid: 0, unlabelled: 0, expected: 0, found: 0 };
}

/**
 * Per rule, over several repositories' results (each `{ findings: [{ rule, verdict }], expected:
 * [{ rule, found }] }`, as corpus/results.json keeps them): counts, recall of expect labels, and
 * precision = findings matching expect or debatable / all findings.
 */
export function tallyRules(repositories) {
  const rules = new Map();
  const tally = (rule) => {
    if (!rules.has(rule)) rules.set(rule, emptyRuleTally());
    return rules.get(rule);
  };
  for (const repository of repositories) {
    for (const { rule, verdict } of repository.findings) {
      const entry = tally(rule);
      entry.findings++;
      entry[verdict]++;
    }
    for (const { rule, found } of repository.expected) {
      const entry = tally(rule);
      entry.expected++;
      if (found) entry.found++;
    }
  }
  return [...rules.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rule, entry]) => ({
      rule,
      ...entry,
      recall: entry.expected === 0 ? null : entry.found / entry.expected,
      precision: entry.findings === 0 ? null : (entry.expect + entry.debatable) / entry.findings,
    }));
}

/** A finding as one stable line: what `--diff` compares and what a reviewer reads. */
export function findingKey(finding) {
  const where = finding.location ? `${finding.location.file}:${finding.location.line}` : '(no location)';
  return `${finding.ruleId} ${where} [${(finding.services ?? []).join(', ')}]`;
}

/**
 * The findings gained and lost per repository between two results files (corpus/results.json), by
 * findingKey. Repositories present on one side only are listed whole.
 */
export function diffResults(before, after) {
  const names = [...new Set([...Object.keys(before.repositories ?? {}), ...Object.keys(after.repositories ?? {})])].sort();
  const changes = [];
  for (const name of names) {
    const old = new Map((before.repositories?.[name]?.findings ?? []).map((f) => [f.key, f]));
    const now = new Map((after.repositories?.[name]?.findings ?? []).map((f) => [f.key, f]));
    const gained = [...now.values()].filter((f) => !old.has(f.key));
    const lost = [...old.values()].filter((f) => !now.has(f.key));
    if (gained.length > 0 || lost.length > 0) changes.push({ name, gained, lost });
  }
  return changes;
}

/** Below this many findings across the corpus, a rule's precision is not taken as measured. */
export const MIN_FINDINGS_MEASURED = 5;

/** The SARIF precision level of a measured share of right findings. */
export function precisionLevel(precision) {
  if (precision >= 0.95) return 'very-high';
  if (precision >= 0.85) return 'high';
  if (precision >= 0.6) return 'medium';
  return 'low';
}

/**
 * The line each rule page carries under "## Precision on real repositories", from a results file
 * (corpus/results.json): what `npm run corpus` writes there and what the docs test checks.
 */
export function precisionLine(ruleId, results) {
  const tally = (results.rules ?? []).find((r) => r.rule === ruleId);
  const where = `Measured on the corpus on ${results.date} (${Object.keys(results.repositories ?? {}).length} public repositories, [docs/accuracy.md](../accuracy.md))`;
  if (!tally || tally.findings < MIN_FINDINGS_MEASURED) {
    return `${where}: ${tally?.findings ?? 0} findings, too few to measure precision; the rule's precision level is its authors' estimate.`;
  }
  const recall = tally.recall === null ? 'no certain label yet' : `recall ${Math.round(tally.recall * 100)} % of ${tally.expected} certain labels`;
  return `${where}: ${Math.round(tally.precision * 100)} % of ${tally.findings} findings right (precision level "${precisionLevel(tally.precision)}"), ${recall}.`;
}
