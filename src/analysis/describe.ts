// Predicates and literals as short text for analysis messages: the exclusion language where it
// can say them, a plain description otherwise. Never throws.
import { printPredicate, printString } from '../ir/print.js';
import { patternToSigma } from '../ir/pattern.js';
import type { Pred } from '../ir/types.js';

/** A predicate, or its negation. */
export interface Literal {
  readonly pred: Pred;
  readonly positive: boolean;
}

export function describePred(p: Pred): string {
  try {
    return printPredicate(p);
  } catch {
    return fallback(p);
  }
}

export function describeLiteral(l: Literal): string {
  if (l.positive) return describePred(l.pred);
  if (l.pred.op === 'eq') {
    try {
      return printPredicate(l.pred, true);
    } catch {
      // fall through
    }
  }
  return `NOT ${describePred(l.pred)}`;
}

function fallback(p: Pred): string {
  const cs = p.cased ? '_cs' : '';
  const field = p.field ?? 'keyword';
  switch (p.op) {
    case 'eq':
      if (p.timePart) return `the ${p.timePart} of ${field} == ${p.value}`;
      return `${field} ==${cs} ${typeof p.value === 'string' ? printString(p.value) : String(p.value)}`;
    case 'contains':
    case 'startswith':
    case 'endswith':
      return `${field} ${p.op}${cs} ${printString(p.value)}`;
    case 'has':
      return `${field} has${cs} ${printString(p.value)}`;
    case 'wildcard':
      return `${field} like${cs} '${patternToSigma(p.value)}' (Sigma wildcards)`;
    case 're': {
      const flags = `${p.value.flags.m ? 'm' : ''}${p.value.flags.s ? 's' : ''}`;
      return `${field} matches${cs} ${printString(p.value.pattern)}${flags ? ` (flags ${flags})` : ''}`;
    }
    case 'cidr':
      return `${field} in network ${p.value.network}`;
    case 'lt':
      return `${field} < ${p.value}`;
    case 'lte':
      return `${field} <= ${p.value}`;
    case 'gt':
      return `${field} > ${p.value}`;
    case 'gte':
      return `${field} >= ${p.value}`;
    case 'exists':
      return `${field} exists`;
    case 'null':
      return `${field} is null`;
    case 'fieldref':
      return `${field} ${p.value.match === 'eq' ? '==' : p.value.match}${cs} the field ${p.value.field}`;
  }
}

/** Why a predicate is outside the analysed fragment, in a few words. */
export function outsideFragment(p: Pred): string {
  if (p.field === null) return 'a keyword, searched in every field';
  switch (p.op) {
    case 're':
      return 'a regular expression';
    case 'wildcard':
      return 'a wildcard pattern';
    case 'cidr':
      return 'a CIDR network match';
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return 'a numeric comparison';
    case 'fieldref':
      return 'a comparison with another field';
    case 'has':
      return "KQL's term search (has)";
    case 'eq':
      return 'a comparison of a part of a timestamp';
    default:
      return `the operator ${p.op}`;
  }
}
