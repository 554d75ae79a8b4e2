/**
 * A reader of the part of HCL (HashiCorp Configuration Language, native syntax) that configuration files such as
 * Docker Bake files are made of: blocks with labels, attributes, string templates (`${…}` kept as written), heredocs,
 * tuples, objects and function calls. Other expressions (conditionals, operators, `for`) are read as the values they
 * contain, without evaluating them. No npm HCL parser is pure JavaScript and small: they are Go compiled to JavaScript
 * or WebAssembly.
 */

/**
 * A value as written: what is not a string, tuple, object, call or reference is an expression of the values it holds,
 * with the binary operators between them (`operators[i]` stands between `parts[i]` and `parts[i + 1]`).
 */
export type HclValue =
  | { kind: 'string'; text: string }
  | { kind: 'tuple'; items: HclValue[] }
  | { kind: 'object'; entries: [string, HclValue][] }
  | { kind: 'call'; name: string; args: HclValue[] }
  | { kind: 'reference'; name: string }
  | { kind: 'expression'; parts: HclValue[]; operators: string[] };

export interface HclBlock {
  type: string;
  labels: string[];
  attributes: Map<string, HclValue>;
  blocks: HclBlock[];
  /** Offset of the block's type in the text. */
  offset: number;
}

export class HclSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** The top-level body of an HCL file, as a block without type; throws HclSyntaxError on what it cannot read. */
export function parseHcl(text: string): HclBlock {
  const reader = new Reader(text);
  const body = reader.body(0);
  if (reader.pos < text.length) throw new HclSyntaxError(`unexpected "${text[reader.pos]}"`, reader.pos);
  return body;
}

/**
 * The strings a value may evaluate to without calling anything: a string, the items of a tuple, the branches of a
 * conditional (`cond ? "a" : ""`); a call, a reference or a comparison gives none.
 */
export function possibleStrings(value: HclValue): string[] {
  if (value.kind === 'string') return [value.text];
  if (value.kind === 'tuple') return value.items.flatMap(possibleStrings);
  return value.kind === 'expression' ? branchStrings(value.parts, value.operators) : [];
}

/** The strings of the operands joined by these operators: a single operand's, or a conditional's branches (`?:` binds loosest, to the right). */
function branchStrings(parts: HclValue[], operators: string[]): string[] {
  if (operators.length === 0) return parts.length === 1 ? possibleStrings(parts[0]) : [];
  const condition = operators.indexOf('?');
  if (condition < 0) return [];
  let depth = 0;
  for (let index = condition + 1; index < operators.length; index++) {
    if (operators[index] === '?') depth++;
    else if (operators[index] === ':' && depth-- === 0) {
      const whenTrue = branchStrings(parts.slice(condition + 1, index + 1), operators.slice(condition + 1, index));
      return [...whenTrue, ...branchStrings(parts.slice(index + 1), operators.slice(index + 1))];
    }
  }
  return [];
}

const IDENTIFIER = /[A-Za-z_][\w-]*/y;
const NUMBER = /\d+(\.\d+)?([eE][+-]?\d+)?/y;
const BINARY_OPERATOR = /==|!=|<=|>=|&&|\|\||[-+*/%<>?:]/y;
/** What a `for` expression is made of besides values. */
const FOR_TOKEN = /=>|\.\.\.|==|!=|<=|>=|&&|\|\||[-+*/%<>?:!,]/y;
const HEREDOC = /<<-?([A-Za-z_]\w*)[ \t]*\r?\n/y;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
/** Deeper nesting than any configuration file writes is refused rather than exhausting the stack. */
const MAX_DEPTH = 200;

class Reader {
  pos = 0;
  constructor(private readonly text: string) {}

  /** Attributes and blocks up to the end of the text or a closing `}`. */
  body(depth: number): HclBlock {
    const block: HclBlock = { type: '', labels: [], attributes: new Map(), blocks: [], offset: this.pos };
    for (;;) {
      this.space(true);
      if (this.pos >= this.text.length || this.text[this.pos] === '}') return block;
      const offset = this.pos;
      const name = this.identifier() ?? this.fail('an attribute or block name');
      this.space(false);
      if (this.text[this.pos] === '=' && this.text[this.pos + 1] !== '=') {
        this.pos++;
        block.attributes.set(name, this.expression(true, depth));
        this.endOfLine();
        continue;
      }
      const labels: string[] = [];
      while (this.text[this.pos] !== '{') {
        if (this.text[this.pos] === '"') labels.push(this.template());
        else labels.push(this.identifier() ?? this.fail('a block label or "{"'));
        this.space(false);
      }
      this.pos++;
      const inner = this.nested(depth, () => this.body(depth + 1));
      this.expect('}');
      block.blocks.push({ ...inner, type: name, labels, offset });
    }
  }

  /** Operands joined by operators, up to a `,`, a closing bracket, or (where newlines end it) the end of the line. */
  private expression(newlineEnds: boolean, depth: number): HclValue {
    const parts: HclValue[] = [];
    const operators: string[] = [];
    for (;;) {
      this.space(!newlineEnds);
      while (this.text[this.pos] === '-' || this.text[this.pos] === '!') {
        this.pos++;
        this.space(!newlineEnds);
      }
      parts.push(this.nested(depth, () => this.operand(depth + 1)));
      this.space(!newlineEnds);
      BINARY_OPERATOR.lastIndex = this.pos;
      const operator = BINARY_OPERATOR.exec(this.text);
      if (!operator) return parts.length === 1 ? parts[0] : { kind: 'expression', parts, operators };
      operators.push(operator[0]);
      this.pos += operator[0].length;
    }
  }

  private operand(depth: number): HclValue {
    const char = this.text[this.pos];
    if (char === '"') return this.traversed({ kind: 'string', text: this.template() });
    if (char === '<' && this.text[this.pos + 1] === '<') return { kind: 'string', text: this.heredoc() };
    if (char === '[') return this.traversed(this.sequence(']', depth));
    if (char === '{') return this.traversed(this.object(depth));
    if (char === '(') {
      this.pos++;
      const inner = this.expression(false, depth);
      this.space(true);
      this.expect(')');
      return this.traversed(inner);
    }
    NUMBER.lastIndex = this.pos;
    const number = NUMBER.exec(this.text);
    if (number) {
      this.pos += number[0].length;
      return { kind: 'expression', parts: [], operators: [] };
    }
    const name = this.identifier() ?? this.fail('a value');
    if (this.text[this.pos] === '(') {
      const call = this.sequence(')', depth);
      return this.traversed({ kind: 'call', name, args: call.kind === 'tuple' ? call.items : [] });
    }
    return this.traversed({ kind: 'reference', name });
  }

  /** Attribute and index access after a value (`target.app.tags`, `list[0]`, `.*`): a reference keeps its path. */
  private traversed(value: HclValue): HclValue {
    let result = value;
    for (;;) {
      if (this.text[this.pos] === '.' && this.text[this.pos + 1] !== '.') {
        this.pos++;
        const name = this.text[this.pos] === '*' ? (this.pos++, '*') : (this.identifier() ?? this.digits() ?? this.fail('an attribute name'));
        result = result.kind === 'reference' ? { kind: 'reference', name: `${result.name}.${name}` } : { kind: 'expression', parts: [result], operators: [] };
      } else if (this.text[this.pos] === '[') {
        const index = this.sequence(']', 0);
        result = { kind: 'expression', parts: [result, index], operators: [] };
      } else {
        return result;
      }
    }
  }

  /** `[a, b]` or `(a, b)` (call arguments, `...` expansion allowed); a `for` expression is read as the values it holds. */
  private sequence(close: ']' | ')', depth: number): HclValue {
    this.pos++;
    const items: HclValue[] = [];
    for (;;) {
      this.space(true);
      if (this.text[this.pos] === close) {
        this.pos++;
        return { kind: 'tuple', items };
      }
      if (items.length === 0 && this.startsFor()) return this.forExpression(close, depth);
      items.push(this.expression(false, depth));
      this.space(true);
      if (this.text.startsWith('...', this.pos)) this.pos += 3;
      this.space(true);
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== close) this.fail(`"," or "${close}"`);
    }
  }

  /** `{ key = value, "key": value }`, entries separated by commas or newlines. */
  private object(depth: number): HclValue {
    this.pos++;
    const entries: [string, HclValue][] = [];
    for (;;) {
      this.space(true);
      if (this.text[this.pos] === '}') {
        this.pos++;
        return { kind: 'object', entries };
      }
      if (entries.length === 0 && this.startsFor()) return this.forExpression('}', depth);
      const key = this.text[this.pos] === '"' ? this.template() : this.text[this.pos] === '(' ? this.keyExpression(depth) : (this.identifier() ?? this.fail('an object key'));
      this.space(false);
      if (this.text[this.pos] !== '=' && this.text[this.pos] !== ':') this.fail('"=" or ":"');
      this.pos++;
      entries.push([key, this.expression(true, depth)]);
      this.space(false);
      if (this.text[this.pos] === ',') this.pos++;
    }
  }

  private keyExpression(depth: number): string {
    const start = this.pos;
    this.operand(depth);
    return this.text.slice(start, this.pos);
  }

  private startsFor(): boolean {
    return /^for\s/.test(this.text.slice(this.pos, this.pos + 4));
  }

  /** The rest of a `[for …]` or `{for …}` up to its closing bracket: the values it holds, unevaluated. */
  private forExpression(close: string, depth: number): HclValue {
    const parts: HclValue[] = [];
    this.pos += 3;
    for (;;) {
      this.space(true);
      if (this.text[this.pos] === close) {
        this.pos++;
        return { kind: 'expression', parts, operators: [] };
      }
      FOR_TOKEN.lastIndex = this.pos;
      const token = FOR_TOKEN.exec(this.text);
      if (token) this.pos += token[0].length;
      else parts.push(this.nested(depth, () => this.operand(depth + 1)));
    }
  }

  /** A quoted template: escapes decoded, `${…}` and `%{…}` kept as written (strings inside them included). */
  template(): string {
    const start = this.pos;
    this.pos++;
    let text = '';
    for (;;) {
      const char = this.text[this.pos];
      if (char === undefined || char === '\n') throw new HclSyntaxError('unterminated string', start);
      if (char === '"') {
        this.pos++;
        return text;
      }
      if (char === '\\') {
        const next = this.text[this.pos + 1];
        if (next === 'u' || next === 'U') {
          const digits = next === 'u' ? 4 : 8;
          const code = parseInt(this.text.slice(this.pos + 2, this.pos + 2 + digits), 16);
          text += String.fromCodePoint(code >= 0 && code <= 0x10ffff ? code : 0xfffd);
          this.pos += 2 + digits;
        } else {
          text += ESCAPES[next] ?? next;
          this.pos += 2;
        }
        continue;
      }
      if ((char === '$' || char === '%') && this.text[this.pos + 1] === '{') {
        const from = this.pos;
        this.pos += 2;
        this.skipInterpolation(start);
        text += this.text.slice(from, this.pos);
        continue;
      }
      // `$${` and `%%{` are a literal `${` and `%{`: kept escaped, so that they never read as a variable.
      text += char;
      this.pos++;
    }
  }

  /** Past the `}` closing an interpolation, over nested braces and strings. */
  private skipInterpolation(stringStart: number): void {
    let open = 1;
    while (open > 0) {
      const char = this.text[this.pos];
      if (char === undefined) throw new HclSyntaxError('unterminated interpolation', stringStart);
      if (char === '"') {
        this.template();
        continue;
      }
      if (char === '{') open++;
      if (char === '}') open--;
      this.pos++;
    }
  }

  private heredoc(): string {
    HEREDOC.lastIndex = this.pos;
    const opening = HEREDOC.exec(this.text) ?? this.fail('a heredoc marker');
    this.pos += opening[0].length;
    const lines: string[] = [];
    for (;;) {
      if (this.pos >= this.text.length) throw new HclSyntaxError(`heredoc without its closing ${opening[1]}`, this.pos);
      const end = this.text.indexOf('\n', this.pos);
      const line = this.text.slice(this.pos, end < 0 ? this.text.length : end).replace(/\r$/, '');
      this.pos = end < 0 ? this.text.length : end + 1;
      if (line.trim() === opening[1]) {
        // The closing marker ends the value, not the line: what follows it (a newline) ends the attribute.
        this.pos = end < 0 ? this.text.length : end;
        return lines.join('\n');
      }
      lines.push(line);
    }
  }

  /** A legacy index (`list.0`). */
  private digits(): string | undefined {
    const match = /^\d+/.exec(this.text.slice(this.pos, this.pos + 20));
    if (match) this.pos += match[0].length;
    return match?.[0];
  }

  identifier(): string | undefined {
    IDENTIFIER.lastIndex = this.pos;
    const match = IDENTIFIER.exec(this.text);
    if (!match) return undefined;
    this.pos += match[0].length;
    return match[0];
  }

  /** Spaces and comments, and newlines too when asked. */
  space(newlines: boolean): void {
    for (;;) {
      const char = this.text[this.pos];
      if (char === ' ' || char === '\t' || char === '\r' || (newlines && char === '\n')) this.pos++;
      else if (char === '#' || (char === '/' && this.text[this.pos + 1] === '/')) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end;
      } else if (char === '/' && this.text[this.pos + 1] === '*') {
        const end = this.text.indexOf('*/', this.pos + 2);
        if (end < 0) throw new HclSyntaxError('unterminated comment', this.pos);
        this.pos = end + 2;
      } else return;
    }
  }

  private endOfLine(): void {
    this.space(false);
    const char = this.text[this.pos];
    if (char !== undefined && char !== '\n' && char !== '}') this.fail('the end of the line');
  }

  private nested<T>(depth: number, read: () => T): T {
    if (depth > MAX_DEPTH) throw new HclSyntaxError('nested too deeply', this.pos);
    return read();
  }

  private expect(char: string): void {
    if (this.text[this.pos] !== char) this.fail(`"${char}"`);
    this.pos++;
  }

  fail(wanted: string): never {
    const found = this.pos < this.text.length ? `"${this.text[this.pos]}"` : 'the end of the file';
    throw new HclSyntaxError(`expected ${wanted}, found ${found}`, this.pos);
  }
}

