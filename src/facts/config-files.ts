import type { EnvAssignment } from '../model.js';
import type { FileExtractor } from './index.js';
import { platformExtractor } from './platforms.js';

/** A value that may reach a database: a URL, or a Go MySQL DSN (`user:pw@tcp(host:3306)/db`). */
const CONNECTION_LIKE = /:\/\/|@(tcp6?|unix)\(/;
/** `key = "value"` (TOML, INI), `key: value` (YAML), `"key": "value"` (JSON), `KEY=value` (.env); a `[table]` header. */
const SETTING_LINE = /^\s*["']?([\w.-]+)["']?\s*[:=]\s*["']?([^"'\s,]+)/;
const TABLE_HEADER = /^\s*\[+\s*([\w.-]+)\s*\]+\s*$/;

/**
 * The connection strings written in a configuration file (TOML, YAML, JSON, INI or dotenv lines), each named by the
 * file, its TOML/INI table and its key (`api.toml:database.primary`) and located at its line (`firstLine` is the
 * line of the text's first line). The lines are scanned rather than parsed: such files are often templates
 * (`app_id = ${APP_ID}`) that no parser of their format accepts.
 */
export function connectionSettings(name: string, text: string, location: EnvAssignment['location'], firstLine = location.line): EnvAssignment[] {
  const settings: EnvAssignment[] = [];
  let table = '';
  text.split('\n').forEach((line, index) => {
    const header = TABLE_HEADER.exec(line);
    if (header) table = `${header[1]}.`;
    const setting = header ? null : SETTING_LINE.exec(line);
    if (setting && CONNECTION_LIKE.test(setting[2])) settings.push({ name: `${name}:${table}${setting[1]}`, value: setting[2], location: { ...location, line: firstLine + index, column: 1 } });
  });
  return settings;
}

/** Configuration files no other extractor reads (a service's `config.toml`, `app.ini`), which a deployment may mount. */
const CONFIG_FILE = /\.(toml|ini|conf|cfg|properties)$/i;

/** The connection strings of configuration files, for the deployments that mount them (a compose bind mount). */
export const configFileExtractor: FileExtractor = {
  name: 'config-files',
  matches: (file) => CONFIG_FILE.test(file) && !platformExtractor.matches(file),
  extract: (input, facts) => {
    const settings = connectionSettings(input.file.slice(input.file.lastIndexOf('/') + 1), input.text, { file: input.file, line: 1, column: 1 });
    if (settings.length > 0) facts.configSettings = settings;
  },
};
