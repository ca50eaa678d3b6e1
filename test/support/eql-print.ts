// A compact, unambiguous rendering of an EQL tree for table-driven tests: S-expressions with
// literals as JSON, so precedence and decoded values can be read at a glance.
//   process where a : "x" and not b == 1   →   process: (and (: a "x") (not (== b 1)))
import type { EqlExpr, EqlQuery } from '../checkers/eql.js';

export function showEqlExpr(e: EqlExpr): string {
  switch (e.type) {
    case 'string':
      return e.form === 'raw' ? `raw${JSON.stringify(e.value)}` : JSON.stringify(e.value);
    case 'number':
      return String(e.value);
    case 'boolean':
      return String(e.value);
    case 'null':
      return 'null';
    case 'field':
      return `${e.optional ? '?' : ''}${e.segments.map((s, i) => (e.quoted[i] ? `\`${s}\`` : s)).join('.')}`;
    case 'call':
      return `(${e.name}${e.caseInsensitive ? '~' : ''} ${e.args.map(showEqlExpr).join(' ')})`.replace(' )', ')');
    case 'compare':
      return `(${e.op} ${showEqlExpr(e.left)} ${showEqlExpr(e.right)})`;
    case 'match': {
      const patterns = e.patterns.map(showEqlExpr).join(' ');
      return `(${e.op} ${showEqlExpr(e.value)} ${e.list ? `[${patterns}]` : patterns})`;
    }
    case 'in':
      return `(${e.negated ? 'not ' : ''}${e.caseInsensitive ? 'in~' : 'in'} ${showEqlExpr(e.value)} [${e.items.map(showEqlExpr).join(' ')}])`;
    case 'and':
    case 'or':
      return `(${e.type} ${e.args.map(showEqlExpr).join(' ')})`;
    case 'not':
      return `(not ${showEqlExpr(e.arg)})`;
    case 'group':
      return `{${showEqlExpr(e.expr)}}`;
  }
}

export function showEqlQuery(q: EqlQuery): string {
  const category = q.category.kind === 'any' ? 'any' : q.category.kind === 'string' ? JSON.stringify(q.category.name) : q.category.name;
  const pipes = q.pipes.map((p) => ` | ${p.name} ${p.count}`).join('');
  return `${category}: ${showEqlExpr(q.condition)}${pipes}`;
}
