// Value transformations for Windows event fields that the targets store differently: Sysmon's
// `Hashes` split per algorithm (`sysmon-hashes` for Defender columns, `hashes` for Elastic's ingest
// pipeline), registry hives and value data (`registry-hive`, `sysmon-registry-data`), DOMAIN\user
// (`domain-user`).
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { and, andOf, or, orOf, pred, stringPred, withField } from '../../ir/build.js';
import { pattern } from '../../ir/pattern.js';
import { type Expr, type Pred } from '../../ir/types.js';
import { argsObject, cannot, isPresenceOnly, type TransformFactory } from './context.js';

/** Full lengths of the hashes Sysmon writes, in hexadecimal digits. */
const hashLengths: Record<string, number> = { md5: 32, sha1: 40, sha256: 64, imphash: 32 };

/**
 * `sysmon-hashes: {SHA1: SHA1, MD5: MD5, SHA256: SHA256, IMPHASH: null}`: Sysmon writes every hash of
 * a file in one field, `SHA1=…,MD5=…,SHA256=…,IMPHASH=…`; the target has a column per algorithm.
 * `Hashes|contains: 'SHA1=<hex>'` is the SHA1 column equal to the hash (starting with it when the
 * hex is shorter than a full hash); an algorithm the table lacks (null) is an error. A bare hash,
 * several algorithms in one value, or any other operator cannot be read per column and is refused.
 */
export const sysmonHashes: TransformFactory = (args, span) => {
  const table = argsObject('sysmon-hashes', args, span);
  const columns = new Map(Object.entries(table).map(([k, v]) => [k.toUpperCase(), v === null ? null : String(v)]));
  const lengths: Record<string, number> = { MD5: 32, SHA1: 40, SHA256: 64, IMPHASH: 32 };
  return (p, context) => {
    const all = [...columns.values()].filter((c): c is string => c !== null);
    if (p.op === 'exists') return orOf(all.map((field) => pred({ op: 'exists', field, span: p.span })));
    if (p.op === 'null') return andOf(all.map((field) => pred({ op: 'null', field, span: p.span })));
    if (p.op !== 'contains' && p.op !== 'eq') return cannot(p, context, 'sysmon-hashes', `is split into one column per hash algorithm, and '${p.op}' cannot be read per column`);
    const value = String(p.value);
    const m = /^([A-Za-z0-9]+)=([0-9A-Fa-f]+)$/.exec(value);
    if (!m) return cannot(p, context, 'sysmon-hashes', `is split into one column per hash algorithm, and '${value}' is not one ALGORITHM=hex pair`);
    const algorithm = m[1]!.toUpperCase();
    const hex = m[2]!;
    if (!columns.has(algorithm)) return cannot(p, context, 'sysmon-hashes', `has no column for the hash algorithm '${m[1]}'`);
    const field = columns.get(algorithm);
    if (field === null || field === undefined) {
      throw new RulecastError('unsupported-field', `field '${context.originalField}' ${algorithm} has no equivalent${context.source ? ` in ${context.source}` : ''} (pipeline ${context.pipeline})`, p.fieldSpan ?? p.span, [
        'a condition on a hash the table does not record cannot be checked; dropping it would change what the rule selects',
      ]);
    }
    const full = lengths[algorithm] === undefined || hex.length >= lengths[algorithm]!;
    if (p.op === 'eq' && !full) return cannot(p, context, 'sysmon-hashes', `is split into one column per hash algorithm, and '${value}' is not a whole hash`);
    return pred({ op: full ? 'eq' : 'startswith', field, value: hex, cased: p.cased, span: p.span });
  };
};

/**
 * `registry-hive: {HKLM: HKEY_LOCAL_MACHINE, HKU: HKEY_USERS, HKCR: null}`: Sysmon abbreviates the
 * root key of a registry path, the target writes it in full. A value that starts with an
 * abbreviation and a backslash gets the full name; an abbreviation mapped to null has no single
 * equivalent and is refused. Values not starting with a hive (`\Software\…`) are unchanged.
 */
export const registryHive: TransformFactory = (args, span) => {
  const table = argsObject('registry-hive', args, span);
  const hives = Object.entries(table).map(([k, v]) => [k, v === null ? null : String(v)] as const);
  return (p, context) => {
    const prefixOf = (text: string): readonly [string, string | null] | undefined =>
      hives.find(([abbr]) => text.length > abbr.length && text.slice(0, abbr.length + 1).toLowerCase() === `${abbr.toLowerCase()}\\`);
    const replace = (text: string): string => {
      const hit = prefixOf(text);
      if (!hit) return text;
      if (hit[1] === null) return cannot(p, context, 'registry-hive', `is written with the full root key, and '${hit[0]}' stands for more than one root key`);
      return hit[1] + text.slice(hit[0].length);
    };
    if (p.op === 'eq' && typeof p.value === 'string') return pred({ ...p, value: replace(p.value) });
    if (p.op === 'startswith' || p.op === 'contains') {
      const value = replace(p.value);
      return value === p.value ? p : pred({ ...p, value });
    }
    if (p.op === 'wildcard' && typeof p.value.parts[0] === 'string') {
      const first = replace(p.value.parts[0]);
      return first === p.value.parts[0] ? p : stringPred(p.field, pattern([first, ...p.value.parts.slice(1)]), p.cased, p.span);
    }
    return p;
  };
};

/**
 * `sysmon-registry-data: {type: RegistryValueType, dword: Dword, qword: Qword}`: Sysmon writes DWORD
 * and QWORD registry data as `DWORD (0x00000001)` / `QWORD (0x00000000-0x00000001)` and empty data
 * as `(Empty)`; the target writes the decimal number (with the value type, named `dword`/`qword`, in
 * the `type` column) and the empty string. Those exact forms are translated; a partial one
 * (`DWORD (0x0000*`) or `Binary Data` cannot be.
 */
export const sysmonRegistryData: TransformFactory = (args, span) => {
  const table = argsObject('sysmon-registry-data', args, span);
  const typeField = table.type === undefined || table.type === null ? undefined : String(table.type);
  const typeNames = { dword: String(table.dword ?? 'Dword'), qword: String(table.qword ?? 'Qword') };
  return (p, context) => {
    if (p.op === 'exists' || p.op === 'null') return p;
    const text = p.op === 'eq' || p.op === 'contains' || p.op === 'startswith' || p.op === 'endswith' ? String(p.value) : undefined;
    if (text === undefined) {
      if (p.op === 're' || p.op === 'wildcard') {
        const shown = p.op === 're' ? p.value.pattern : p.value.parts.map((x) => (typeof x === 'string' ? x : x.wildcard)).join('');
        if (/DWORD|QWORD|\(Empty\)|Binary Data/i.test(shown)) return cannot(p, context, 'sysmon-registry-data', 'is written in another form for DWORD/QWORD/empty/binary data');
      }
      return p;
    }
    const dword = /^DWORD \(0x([0-9a-fA-F]{8})\)$/.exec(text);
    const qword = /^QWORD \(0x([0-9a-fA-F]{8})-0x([0-9a-fA-F]{8})\)$/.exec(text);
    // A whole DWORD/QWORD/(Empty) text is the whole Sysmon value, so contains/startswith/endswith of
    // it mean equality there.
    if (dword || qword) {
      const n = dword ? BigInt(`0x${dword[1]}`) : (BigInt(`0x${qword![1]}`) << 32n) + BigInt(`0x${qword![2]}`);
      const data = pred({ op: 'eq', field: p.field, value: n.toString(), span: p.span });
      return typeField ? and(pred({ op: 'eq', field: typeField, value: dword ? typeNames.dword : typeNames.qword, span: p.span }), data) : data;
    }
    if (text === '(Empty)' && p.op === 'eq') return pred({ op: 'eq', field: p.field, value: '', span: p.span });
    if (/DWORD|QWORD|\(Empty\)|Binary Data/i.test(text)) return cannot(p, context, 'sysmon-registry-data', `is written in another form for DWORD/QWORD/empty/binary data, and '${text}' is not a whole value it can translate`);
    return p;
  };
};

/**
 * `hashes`: Sysmon's `Hashes` (`SHA1=…,MD5=…,SHA256=…,IMPHASH=…`) is split by Elastic's ingest
 * pipeline into one field per algorithm (lower-cased; empty and all-zero hashes dropped). Arguments:
 * algorithm → field. `Hashes|contains: 'MD5=<32 hex digits>'` is exactly `md5-field == <digits>`
 * (a complete hash cannot be a part of a longer one of the same algorithm); anything else is refused.
 */
export const hashes: TransformFactory = (args, span) => {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new RulecastError('invalid-pipeline', "the 'hashes' transform needs a mapping of algorithm → field", span);
  }
  const fields = new Map(Object.entries(args as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return (p, context) => {
    if (p.op === 'null' || p.op === 'exists') {
      // Present when any of the algorithm fields is.
      const preds = [...fields.values()].map((f) => withField(p, f));
      return p.op === 'null' ? andOf(preds) : orOf(preds);
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
};

/**
 * `domain-user`: Sysmon's `User` (`DOMAIN\name`) is split by Elastic's ingest pipeline into
 * `user.domain` and `user.name` when it has exactly one backslash (and dropped otherwise). The
 * mapping's field is the name; argument `domain` names the domain field. Exact forms:
 * `contains X` (no backslash) → either part contains X; `endswith \X` → the name is X;
 * `endswith X` → the name ends with X; `startswith X` → the domain starts with X;
 * `D\N` with eq/contains/startswith/endswith → the matching conditions on both parts.
 */
export const domainUser: TransformFactory = (args, span) => {
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
};
