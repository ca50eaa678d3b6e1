// Value transformations the KQL pipelines need, registered by name for pipeline files. Each one is
// exact or refuses with a located error (through `cannot`), never a silently different condition.
import { RulecastError } from '../../diagnostics/diagnostic.js';
import { and, or, pred, stringPred } from '../../ir/build.js';
import { pattern } from '../../ir/pattern.js';
import { cannot, registerTransform } from '../../pipelines/transforms.js';

function argsObject(name: string, args: unknown, span: unknown): Record<string, unknown> {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new RulecastError('invalid-pipeline', `the '${name}' transform needs a mapping as its argument`, span as never);
  }
  return args as Record<string, unknown>;
}

/**
 * `sysmon-hashes: {SHA1: SHA1, MD5: MD5, SHA256: SHA256, IMPHASH: null}`: Sysmon writes every hash of
 * a file in one field, `SHA1=…,MD5=…,SHA256=…,IMPHASH=…`; the target has a column per algorithm.
 * `Hashes|contains: 'SHA1=<hex>'` is the SHA1 column equal to the hash (starting with it when the
 * hex is shorter than a full hash); an algorithm the table lacks (null) is an error. A bare hash,
 * several algorithms in one value, or any other operator cannot be read per column and is refused.
 */
registerTransform('sysmon-hashes', (args, span) => {
  const table = argsObject('sysmon-hashes', args, span);
  const columns = new Map(Object.entries(table).map(([k, v]) => [k.toUpperCase(), v === null ? null : String(v)]));
  const lengths: Record<string, number> = { MD5: 32, SHA1: 40, SHA256: 64, IMPHASH: 32 };
  return (p, context) => {
    const all = [...columns.values()].filter((c): c is string => c !== null);
    if (p.op === 'exists') return or(...all.map((field) => pred({ op: 'exists', field, span: p.span })));
    if (p.op === 'null') return and(...all.map((field) => pred({ op: 'null', field, span: p.span })));
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
});

/**
 * `registry-hive: {HKLM: HKEY_LOCAL_MACHINE, HKU: HKEY_USERS, HKCR: null}`: Sysmon abbreviates the
 * root key of a registry path, the target writes it in full. A value that starts with an
 * abbreviation and a backslash gets the full name; an abbreviation mapped to null has no single
 * equivalent and is refused. Values not starting with a hive (`\Software\…`) are unchanged.
 */
registerTransform('registry-hive', (args, span) => {
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
});

/**
 * `sysmon-registry-data: {type: RegistryValueType, dword: Dword, qword: Qword}`: Sysmon writes DWORD
 * and QWORD registry data as `DWORD (0x00000001)` / `QWORD (0x00000000-0x00000001)` and empty data
 * as `(Empty)`; the target writes the decimal number (with the value type, named `dword`/`qword`, in
 * the `type` column) and the empty string. Those exact forms are translated; a partial one
 * (`DWORD (0x0000*`) or `Binary Data` cannot be.
 */
registerTransform('sysmon-registry-data', (args, span) => {
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
});

/** `hex-number`: a number Sysmon writes in hex (`LogonId: '0x3e7'`) that the target stores as a
 *  number: equality with a hex or decimal text becomes equality with the number. */
registerTransform('hex-number', () => (p, context) => {
  if (p.op === 'exists' || p.op === 'null') return p;
  if (p.op === 'eq' && typeof p.value === 'number') return p;
  if (p.op === 'eq' && typeof p.value === 'string' && /^(0x[0-9a-f]+|[0-9]+)$/i.test(p.value)) {
    const n = Number(BigInt(p.value.toLowerCase()));
    if (Number.isSafeInteger(n)) return pred({ op: 'eq', field: p.field, value: n, span: p.span });
  }
  return cannot(p, context, 'hex-number', 'is a number in the target, and only equality with a number (hex or decimal) can be translated');
});
