// Renders SPL syntax trees as S-expressions, so tests state the tree's shape in one line:
// `a=1 b=2 OR c=3` → `(AND a=1 (OR b=2 c=3))`. Groups are transparent (the nesting shows them);
// values are shown as written.
import type { EvalNode, SearchNode, SearchValue, SplCommand, SplQuery } from '../checkers/spl.js';

function value(v: SearchValue): string {
  const inner = v.raw;
  return v.directive ? `${v.directive}(${inner})` : inner;
}

export function showSearch(n: SearchNode): string {
  switch (n.type) {
    case 'and':
      return `(AND ${n.args.map(showSearch).join(' ')})`;
    case 'or':
      return `(OR ${n.args.map(showSearch).join(' ')})`;
    case 'not':
      return `(NOT ${showSearch(n.arg)})`;
    case 'group':
      return showSearch(n.expr);
    case 'compare':
      return `${n.field.quoted ? JSON.stringify(n.field.name) : n.field.name}${n.op}${value(n.value)}`;
    case 'in':
      return `(IN ${n.field.name} ${n.values.map(value).join(' ')})`;
    case 'keyword':
      return value(n.value);
  }
}

export function showEval(n: EvalNode): string {
  switch (n.type) {
    case 'and':
    case 'or':
    case 'xor':
      return `(${n.type.toUpperCase()} ${n.args.map(showEval).join(' ')})`;
    case 'not':
      return `(NOT ${showEval(n.arg)})`;
    case 'negate':
      return `(- ${showEval(n.arg)})`;
    case 'group':
      return showEval(n.expr);
    case 'compare':
    case 'arith':
      return `(${n.op} ${showEval(n.left)} ${showEval(n.right)})`;
    case 'in':
      return `(IN ${showEval(n.arg)} ${n.values.map(showEval).join(' ')})`;
    case 'call':
      return `${n.name}(${n.args.map(showEval).join(', ')})`;
    case 'field':
      return n.field.quoted ? `'${n.field.name}'` : n.field.name;
    case 'string':
      return n.value.raw;
    case 'number':
      return n.raw;
  }
}

export function showCommand(c: SplCommand): string {
  switch (c.type) {
    case 'search':
      return `${c.implicit ? '' : 'search '}${c.expr ? showSearch(c.expr) : '<empty>'}`;
    case 'where':
      return `where ${showEval(c.expr)}`;
    case 'regex':
      return `regex ${c.field ? `${c.field.name}${c.negated ? '!=' : '='}` : ''}${c.pattern.raw}`;
    case 'table':
      return `table ${c.fields.map((f) => f.name).join(',')}`;
    case 'fields':
      return `fields ${c.mode} ${c.fields.map((f) => f.name).join(',')}`;
    case 'eval':
      return `eval ${c.assignments.map((a) => `${a.field.name}=${showEval(a.expr)}`).join(', ')}`;
    case 'tstats': {
      const opts = c.options.map((o) => `${o.name}=${o.value.value}`);
      const fns = c.functions.map((f) => `${f.name}${f.field ? `(${f.field.name})` : ''}${f.alias ? ` as ${f.alias.name}` : ''}`);
      const parts = ['tstats', ...opts, fns.join(',')];
      if (c.datamodel) parts.push(`from ${c.datamodel.name}`);
      if (c.where) parts.push(`where ${showSearch(c.where)}`);
      if (c.by.length > 0) parts.push(`by ${c.by.map((f) => f.name).join(',')}`);
      if (c.span) parts.push(`span=${c.span}`);
      return parts.join(' ');
    }
  }
}

export function showQuery(q: SplQuery): string {
  return q.commands.map(showCommand).join(' | ');
}
