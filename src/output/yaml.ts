// The one YAML writer of the output stage: scalars written so that no value can change the
// document's structure or be read back as another type. Strings are always quoted: `yamlString`
// uses single quotes when every character is printable (double quotes with escapes otherwise),
// `yamlDoubleQuoted` always double quotes (the rule formats' style); numbers are written only when
// finite; long text may be a block scalar.

/** Characters that may not appear raw in a single-quoted scalar: C0/C1 controls, DEL, the YAML 1.1
 *  line breaks NEL, LS and PS (which would fold), the byte-order mark and lone surrogates. */
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function yamlString(s: string): string {
  if (!unsafe.test(s)) return `'${s.replace(/'/g, "''")}'`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = c.charCodeAt(0);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += c + s[i + 1]!;
      i++;
    } else if (unsafe.test(c)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

/** A mapping key: plain when it is a simple name (letters, digits, `_ . - |`), quoted otherwise. */
export function yamlKey(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.|-]*$/.test(s) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(s) ? s : yamlString(s);
}

export function yamlNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`internal: ${n} is not a finite number`);
  const text = String(n);
  // YAML 1.1 reads an exponent as a float only with a dot in the mantissa (1.0e+21, not 1e+21).
  return /e/i.test(text) && !text.includes('.') ? text.replace(/e/i, '.0e') : text;
}

/** A block scalar for long text (descriptions): `|-` with each line indented. Falls back to a
 *  quoted string when the text has characters a block scalar cannot hold. */
export function yamlText(s: string, indent: string): string {
  if (unsafe.test(s.replace(/\n/g, '')) || /^\s/.test(s) || /\s$/.test(s) || !s.includes('\n')) return yamlString(s);
  return `|-\n${s
    .split('\n')
    .map((l) => (l === '' ? '' : `${indent}${l}`))
    .join('\n')}`;
}

/** A string as a YAML double-quoted scalar (every character escaped as YAML requires). */
export function yamlDoubleQuoted(value: unknown): string {
  const s = String(value ?? '');
  return `"${s.replace(/[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case '"':
        return '\\"';
      case '\n':
        return '\\n';
      case '\t':
        return '\\t';
      case '\r':
        return '\\r';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  })}"`;
}

/** A YAML literal block scalar (`|`, `|-`, `|+` and the text indented by two) when the text can be
 *  one: printable characters only, no tab or carriage return, first line not starting with a space.
 *  Otherwise undefined (the caller falls back to a double-quoted scalar, which holds anything). */
export function yamlBlock(text: string): string | undefined {
  if (text === '' || /[^\n\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(text) || /[\u0085\u2028\u2029\ufeff]/.test(text)) return undefined;
  if (/^[ \n]/.test(text)) return undefined;
  const trailing = /\n*$/.exec(text)![0].length;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const body = text.slice(0, text.length - trailing);
  if (body.split('\n').some((line) => /\s$/.test(line))) return undefined;
  return `|${chomp}\n${(body + '\n'.repeat(trailing)).replace(/\n$/, '').split('\n').map((l) => (l === '' ? '' : `  ${l}`)).join('\n')}`;
}
