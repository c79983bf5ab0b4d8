import { malformedQuery } from '../api/errors.js';
import { tokenize, type Token } from './lexer.js';

/**
 * A SOQL parser for the statements the product and the Salesforce CLI send: field lists with parent
 * relationship paths and child subqueries, COUNT(), WHERE with AND/OR/NOT, comparisons, LIKE, IN
 * lists and semi-joins, date literals, ORDER BY, LIMIT and OFFSET. Mixing AND and OR without
 * parentheses is refused, as Salesforce refuses it.
 */

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: number }
  | { kind: 'dateLiteral'; name: string; n: number | null };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; path: string[]; op: CompareOp; value: Literal }
  | { kind: 'in'; path: string[]; negated: boolean; values: Literal[] }
  | { kind: 'semiJoin'; path: string[]; negated: boolean; query: Query };

export type SelectItem =
  { kind: 'field'; path: string[] } | { kind: 'subquery'; query: Query } | { kind: 'count' };

export interface OrderItem {
  path: string[];
  descending: boolean;
  nullsLast: boolean;
}

export interface Query {
  select: SelectItem[];
  from: string;
  where: Condition | null;
  orderBy: OrderItem[];
  limit: number | null;
  offset: number | null;
}

/** Date literals with a number after a colon (LAST_N_DAYS:30). */
const N_LITERALS =
  /^(LAST|NEXT)_N_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS)$|^N_(DAYS|WEEKS|MONTHS|QUARTERS|YEARS)_AGO$/;
const PLAIN_LITERALS = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_QUARTER',
  'LAST_QUARTER',
  'NEXT_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
]);

const CLAUSE_KEYWORDS = new Set(['FROM', 'WHERE', 'WITH', 'GROUP', 'ORDER', 'LIMIT', 'OFFSET', 'FOR']);

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  parseQuery(): Query {
    this.expectKeyword('SELECT');
    const select = this.parseSelectList();
    this.expectKeyword('FROM');
    const from = this.expectIdent();
    let where: Condition | null = null;
    if (this.acceptKeyword('WHERE')) where = this.parseCondition();
    if (this.acceptKeyword('WITH')) {
      const mode = this.expectIdent().toUpperCase();
      if (!['SECURITY_ENFORCED', 'USER_MODE', 'SYSTEM_MODE'].includes(mode)) this.fail(`WITH ${mode}`);
    }
    if (this.peekKeyword('GROUP'))
      this.fail('GROUP BY (aggregate queries are not supported by the local org)');
    const orderBy: OrderItem[] = [];
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      do orderBy.push(this.parseOrderItem());
      while (this.acceptSymbol(','));
    }
    const limit = this.acceptKeyword('LIMIT') ? this.expectInteger() : null;
    const offset = this.acceptKeyword('OFFSET') ? this.expectInteger() : null;
    if (this.acceptKeyword('FOR')) {
      const what = this.expectIdent().toUpperCase();
      if (!['VIEW', 'REFERENCE', 'UPDATE'].includes(what)) this.fail(`FOR ${what}`);
    }
    return { select, from, where, orderBy, limit, offset };
  }

  atEnd(): boolean {
    return this.peek().type === 'eof';
  }

  peek(): Token {
    return this.tokens[this.i]!;
  }

  fail(what?: string): never {
    const token = this.peek();
    const shown =
      what ?? (token.type === 'eof' ? '<EOF>' : `'${'text' in token ? token.text : token.value}'`);
    throw malformedQuery(`unexpected token: ${shown} at column ${token.pos + 1}`);
  }

  private parseSelectList(): SelectItem[] {
    const items: SelectItem[] = [];
    do {
      if (this.acceptSymbol('(')) {
        items.push({ kind: 'subquery', query: this.parseQuery() });
        this.expectSymbol(')');
      } else if (this.peekKeyword('COUNT') && this.tokens[this.i + 1]?.value === '(') {
        this.i += 2;
        if (!this.acceptSymbol(')')) this.fail('COUNT(field) (only COUNT() is supported by the local org)');
        items.push({ kind: 'count' });
      } else {
        items.push({ kind: 'field', path: this.parsePath() });
      }
    } while (this.acceptSymbol(','));
    return items;
  }

  private parsePath(): string[] {
    const path = [this.expectIdent()];
    while (this.acceptSymbol('.')) path.push(this.expectIdent());
    return path;
  }

  private parseOrderItem(): OrderItem {
    const path = this.parsePath();
    let descending = false;
    if (this.acceptKeyword('DESC')) descending = true;
    else this.acceptKeyword('ASC');
    let nullsLast = descending;
    if (this.acceptKeyword('NULLS')) {
      if (this.acceptKeyword('LAST')) nullsLast = true;
      else {
        this.expectKeyword('FIRST');
        nullsLast = false;
      }
    }
    return { path, descending, nullsLast };
  }

  private parseCondition(): Condition {
    const first = this.parseUnary();
    const items = [first];
    let joiner: 'AND' | 'OR' | null = null;
    while (this.peekKeyword('AND') || this.peekKeyword('OR')) {
      const next = String(this.peek().value).toUpperCase() as 'AND' | 'OR';
      if (joiner && joiner !== next) this.fail(`${next} (use parentheses when mixing AND and OR)`);
      joiner = next;
      this.i++;
      items.push(this.parseUnary());
    }
    if (items.length === 1) return first;
    return joiner === 'AND' ? { kind: 'and', items } : { kind: 'or', items };
  }

  private parseUnary(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', item: this.parseUnary() };
    if (this.acceptSymbol('(')) {
      const inner = this.parseCondition();
      this.expectSymbol(')');
      return inner;
    }
    const path = this.parsePath();
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('IN')) {
      this.expectSymbol('(');
      if (this.peekKeyword('SELECT')) {
        const query = this.parseQuery();
        this.expectSymbol(')');
        return { kind: 'semiJoin', path, negated, query };
      }
      const values: Literal[] = [];
      do values.push(this.parseLiteral());
      while (this.acceptSymbol(','));
      this.expectSymbol(')');
      return { kind: 'in', path, negated, values };
    }
    if (negated) this.fail();
    if (this.acceptKeyword('LIKE')) return { kind: 'compare', path, op: 'like', value: this.parseLiteral() };
    const token = this.peek();
    if (token.type !== 'symbol' || !['=', '!=', '<', '<=', '>', '>='].includes(token.value)) this.fail();
    this.i++;
    return { kind: 'compare', path, op: token.value as CompareOp, value: this.parseLiteral() };
  }

  private parseLiteral(): Literal {
    const token = this.peek();
    this.i++;
    switch (token.type) {
      case 'string':
        return { kind: 'string', value: token.value };
      case 'number':
        return { kind: 'number', value: token.value };
      case 'date':
        return { kind: 'date', value: token.value };
      case 'datetime':
        return { kind: 'datetime', value: token.value };
      case 'ident': {
        const word = token.value.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' };
        if (word === 'NULL') return { kind: 'null' };
        if (PLAIN_LITERALS.has(word)) return { kind: 'dateLiteral', name: word, n: null };
        if (N_LITERALS.test(word)) {
          this.expectSymbol(':');
          return { kind: 'dateLiteral', name: word, n: this.expectInteger() };
        }
        break;
      }
    }
    this.i--;
    return this.fail();
  }

  private expectInteger(): number {
    const token = this.peek();
    if (token.type !== 'number' || !Number.isInteger(token.value) || token.value < 0) this.fail();
    this.i++;
    return token.value;
  }

  private expectIdent(): string {
    const token = this.peek();
    if (token.type !== 'ident' || CLAUSE_KEYWORDS.has(token.value.toUpperCase())) this.fail();
    this.i++;
    return token.value;
  }

  private peekKeyword(word: string): boolean {
    const token = this.peek();
    return token.type === 'ident' && token.value.toUpperCase() === word;
  }

  private acceptKeyword(word: string): boolean {
    if (!this.peekKeyword(word)) return false;
    this.i++;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail();
  }

  private acceptSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token.type !== 'symbol' || token.value !== symbol) return false;
    this.i++;
    return true;
  }

  private expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) this.fail();
  }
}

export function parseSoql(soql: string): Query {
  const parser = new Parser(tokenize(soql));
  const query = parser.parseQuery();
  if (!parser.atEnd()) parser.fail();
  return query;
}
