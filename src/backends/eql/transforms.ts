// Value transformations for the ECS pipelines, where Elastic's ingest pipelines store a Sigma field
// differently (src/pipelines/ecs-windows.yml). Each one is exact under the documented ingest
// behaviour, or refuses with a located error.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { and, or, pred, withField } from '../../ir/build.js';
import type { Expr, Pred } from '../../ir/types.js';
import { cannot, isPresenceOnly, registerTransform } from '../../pipelines/transforms.js';

/**
 * `text`: the target field holds the decimal text of a number (ECS `event.code` is a keyword:
 * Sysmon's EventID 4688 is stored as "4688"). A number compared for equality becomes its text;
 * an order comparison cannot be made on text and is refused.
 */
registerTransform('text', () => (p, context) => {
  if (isPresenceOnly(p)) return p;
  if (p.op === 'eq' && typeof p.value === 'number') {
    if (!Number.isInteger(p.value)) return cannot(p, context, 'text', 'holds the decimal text of a whole number');
    return pred({ ...p, value: String(p.value) });
  }
  if (p.op === 'lt' || p.op === 'lte' || p.op === 'gt' || p.op === 'gte') return cannot(p, context, 'text', 'holds text, which EQL does not compare as numbers');
  return p;
});

/** Full lengths of the hashes Sysmon writes, in hexadecimal digits. */
const hashLengths: Record<string, number> = { md5: 32, sha1: 40, sha256: 64, imphash: 32 };

/**
 * `hashes`: Sysmon's `Hashes` (`SHA1=…,MD5=…,SHA256=…,IMPHASH=…`) is split by Elastic's ingest
 * pipeline into one field per algorithm (lower-cased; empty and all-zero hashes dropped). Arguments:
 * algorithm → field. `Hashes|contains: 'MD5=<32 hex digits>'` is exactly `md5-field == <digits>`
 * (a complete hash cannot be a part of a longer one of the same algorithm); anything else is refused.
 */
registerTransform('hashes', (args, span) => {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new RulecastError('invalid-pipeline', "the 'hashes' transform needs a mapping of algorithm → field", span);
  }
  const fields = new Map(Object.entries(args as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return (p, context) => {
    if (p.op === 'null' || p.op === 'exists') {
      // Present when any of the algorithm fields is.
      const preds = [...fields.values()].map((f) => withField(p, f));
      return p.op === 'null' ? and(...preds) : or(...preds);
    }
    if ((p.op === 'contains' || p.op === 'eq') && typeof p.value === 'string') {
      const m = /^([A-Za-z0-9]+)=([0-9A-Fa-f]+)$/.exec(p.value);
      const algorithm = m?.[1]!.toLowerCase();
      const field = algorithm ? fields.get(algorithm) : undefined;
      if (m && field && m[2]!.length === hashLengths[algorithm!] && !/^0+$/.test(m[2]!) && p.op === 'contains') {
        return pred({ op: 'eq', field, value: m[2]!.toLowerCase(), cased: false, span: p.span });
      }
    }
    return cannot(p, context, 'hashes', "is split into one field per hash algorithm, and only 'ALGORITHM=<complete hash>' with |contains names one of them");
  };
});

/**
 * `domain-user`: Sysmon's `User` (`DOMAIN\name`) is split by Elastic's ingest pipeline into
 * `user.domain` and `user.name` when it has exactly one backslash (and dropped otherwise). The
 * mapping's field is the name; argument `domain` names the domain field. Exact forms:
 * `contains X` (no backslash) → either part contains X; `endswith \X` → the name is X;
 * `endswith X` → the name ends with X; `startswith X` → the domain starts with X;
 * `D\N` with eq/contains/startswith/endswith → the matching conditions on both parts.
 */
registerTransform('domain-user', (args, span) => {
  const domain = args !== null && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>).domain : undefined;
  if (typeof domain !== 'string') throw new RulecastError('invalid-pipeline', "the 'domain-user' transform needs 'domain: <field>'", span);
  return (p, context) => {
    const name = p.field!;
    if (isPresenceOnly(p)) return p.op === 'null' ? and(p, withField(p, domain)) : or(p, withField(p, domain));
    const str = (field: string, op: 'eq' | 'contains' | 'startswith' | 'endswith', value: string): Expr =>
      op !== 'eq' && value === '' ? pred({ op: 'exists', field }) : pred({ op, field, value, cased: p.cased, span: p.span } as Pred);
    if (p.op !== 'eq' && p.op !== 'contains' && p.op !== 'startswith' && p.op !== 'endswith') {
      return cannot(p, context, 'domain-user', `is split into ${domain} and ${name}, and '${p.op}' cannot be checked across both`);
    }
    const value = p.value as string;
    const parts = value.split('\\');
    if (parts.length === 1) {
      switch (p.op) {
        case 'contains':
          return or(str(domain, 'contains', value), str(name, 'contains', value));
        case 'startswith':
          return str(domain, 'startswith', value);
        case 'endswith':
          return str(name, 'endswith', value);
        default:
          return cannot(p, context, 'domain-user', `is split into ${domain} and ${name}, so a value without a backslash is never the whole of it`);
      }
    }
    if (parts.length === 2) {
      const [d, n] = parts as [string, string];
      switch (p.op) {
        case 'eq':
          return and(str(domain, 'eq', d), str(name, 'eq', n));
        case 'contains':
          return and(str(domain, 'endswith', d), str(name, 'startswith', n));
        case 'startswith':
          return and(str(domain, 'eq', d), str(name, 'startswith', n));
        case 'endswith':
          return and(str(domain, 'endswith', d), str(name, 'eq', n));
      }
    }
    return cannot(p, context, 'domain-user', `is split at its one backslash into ${domain} and ${name}, and the value has several`);
  };
});
