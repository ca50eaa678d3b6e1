// Finding and reading rule files, and writing outputs atomically.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep, basename } from 'node:path';
import fg from 'fast-glob';
import { RulecastError } from '../diagnostics/diagnostic.js';
import { SourceFile, span } from '../diagnostics/source.js';
import { UsageError } from './usage.js';
import { parseYaml } from '../parse/yaml.js';

export interface InputFile {
  /** As shown to the user (relative to the working directory when inside it). */
  readonly path: string;
  readonly absolute: string;
  /** The folder or glob root it was found under, for mirroring the tree in an output folder. */
  readonly base: string;
  /** Its text, when the caller has read it already (--cache hashes the bytes it converts, so the
   *  conversion must not read the file a second time). */
  readonly text?: string | undefined;
}

const ruleExtensions = '{yml,yaml,kql}';

/** Expands files, folders (every .yml/.yaml/.kql below) and globs, in a stable order, without
 *  duplicates. A path that does not exist, a glob that matches nothing, or inputs that hold no
 *  rule file at all, is a usage error. */
export function expandInputs(inputs: readonly string[], cwd = process.cwd()): InputFile[] {
  const seen = new Set<string>();
  const out: InputFile[] = [];
  const add = (absolute: string, base: string) => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    const rel = relative(cwd, absolute);
    out.push({ path: rel.startsWith('..') ? absolute : rel, absolute, base });
  };
  for (const input of inputs) {
    const abs = resolve(cwd, input);
    let stat;
    try {
      stat = statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isDirectory()) {
      const files = fg.sync(`**/*.${ruleExtensions}`, { cwd: abs, absolute: true, dot: false, onlyFiles: true, followSymbolicLinks: false }).sort();
      for (const f of files) add(resolve(f), abs);
    } else if (stat?.isFile()) {
      add(abs, dirname(abs));
    } else if (fg.isDynamicPattern(input)) {
      const files = fg.sync(input.split(sep).join('/'), { cwd, absolute: true, onlyFiles: true, followSymbolicLinks: false }).sort();
      if (files.length === 0) throw new UsageError(`no file matches '${input}'`);
      const base = resolve(cwd, fg.generateTasks(input)[0]?.base ?? '.');
      for (const f of files) add(resolve(f), base);
    } else {
      throw new UsageError(`no such file or folder: ${input}`);
    }
  }
  if (out.length === 0) {
    throw new UsageError(`no rule files found: searched ${inputs.map((i) => `'${i}'`).join(', ')} for .yml, .yaml and .kql files (a KQL document in .md or .txt is read when named itself)`);
  }
  return out;
}

/** Largest rule file read (a Sigma rule is a few kilobytes). */
export const maxRuleFileBytes = 10 * 1024 * 1024;

/** Reads a text file as UTF-8. Binary content (NUL bytes, invalid UTF-8) and oversized files are
 *  RulecastErrors, reported for that file only. */
export function readTextFile(path: string, absolute: string, maxBytes = maxRuleFileBytes): SourceFile {
  return decodeText(path, readFileBytes(path, absolute, maxBytes));
}

/** A file's bytes, refused (RulecastError) past maxBytes. Split from readTextFile for the cache,
 *  which hashes exactly the bytes the conversion then decodes. */
export function readFileBytes(path: string, absolute: string, maxBytes = maxRuleFileBytes): Buffer {
  // One open file for the size check and the read (a separate stat by path costs a lookup per file).
  const fd = openSync(absolute, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) {
      throw new RulecastError('file-too-large', `${path} is ${(size / 1048576).toFixed(1)} MB; rulecast reads rule files up to ${maxBytes / 1048576} MB`, span(new SourceFile(path, ''), 0));
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The bytes of a file as UTF-8 text (a byte-order mark dropped); NUL bytes or invalid UTF-8 are a
 *  RulecastError. */
export function decodeText(path: string, bytes: Uint8Array): SourceFile {
  const empty = new SourceFile(path, '');
  if (bytes.includes(0)) throw new RulecastError('not-text', `${path} is not a text file (it contains NUL bytes)`, span(empty, 0));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RulecastError('not-text', `${path} is not valid UTF-8 text`, span(empty, 0));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return new SourceFile(path, text);
}

/** Writes a file so that readers see the old content or the new one, never a part: the text goes
 *  to a temporary file in the same folder, which is then renamed over the target. `foldersMade`:
 *  folders this run has created already. */
export function writeFileAtomic(target: string, text: string, foldersMade?: Set<string>): void {
  // A run writing thousands of files into a few hundred folders creates each folder once.
  const folder = dirname(target);
  if (!foldersMade?.has(folder)) {
    mkdirSync(folder, { recursive: true });
    foldersMade?.add(folder);
  }
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, target);
  } catch (err) {
    if (existsSync(temp)) unlinkSync(temp);
    throw err;
  }
}

export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Reads a placeholders file: a YAML mapping of placeholder name (without %) → value or list of
 *  values (Sigma strings, wildcards allowed), e.g. `Admins: [root, 'adm_*']`. */
export function readPlaceholders(path: string): Record<string, string[]> {
  const source = readTextFile(path, resolve(path));
  const docs = parseYaml(source);
  const root = docs[0]?.root;
  if (!root || root.kind !== 'map') throw new UsageError(`${path}: a placeholders file is a YAML mapping of name: [values]`);
  const out: Record<string, string[]> = {};
  for (const { key, value } of root.entries) {
    const name = key.kind === 'scalar' ? key.text.replace(/^%|%$/g, '') : '';
    const items = value.kind === 'seq' ? value.items : [value];
    out[name] = items.map((item) => {
      if (item.kind !== 'scalar' || item.value === null) throw new UsageError(`${path}: the values of placeholder '${name}' must be strings`);
      return item.text;
    });
  }
  return out;
}
