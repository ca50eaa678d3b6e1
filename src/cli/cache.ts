// `convert --cache <dir>`: a file's conversion is reused when nothing it depends on has changed, by
// content hashes (digest.ts), never by timestamps. What a file's outcome depends on:
//   - the run: rulecast itself (every module of dist/src, which holds the built-in pipelines and the
//     precompiled templates, and package.json with the exact versions of its dependencies), the
//     Node.js version, the working folder (paths are shown relative to it), and the options that
//     shape output: targets, pipelines (names; files by content), formats, --template files (by
//     content), --compact, placeholder values, --exclusions files (by content), --no-exclusions,
//     colours;
//   - the file: its path as shown and its absolute path (a rule's own exclusions file is relative
//     to it), and its bytes;
//   - the exclusions files its rules name (rulecast: {exclusions: …}), found while converting it:
//     recorded with the content that was read (or their absence) and checked on every reuse.
// Correlations reach across files, so the cache holds each file's outcome before they are settled
// (settleCorrelations runs on every run, over cached and fresh outcomes alike): a correlation
// added, changed or removed in one file changes what is output for another without invalidating
// its entry.
//
// One entry per file of a run configuration, `<dir>/v1/<slot>.json`, the slot naming the run and the
// file (so an edited rule replaces its entry rather than adding one). An entry is a header line
// {key, sha256 of the payload} and the payload line; it is trusted only when the key is the one
// expected (the file's bytes among it), the payload has that hash and parses, and every recorded
// dependency still has its digest. Anything else is a miss: the file is converted and the entry
// rewritten atomically (temporary file, rename), so a reader, or another run writing the same
// entry, sees a whole entry or none.
//
// The files options name are hashed before the command reads them (open), and again before
// entries are stored: a file changed meanwhile stores nothing, since which content the run used
// is then unknown.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileOutcome, RunSettings } from './convert-run.js';
import { contentDigest, fileDigest } from './digest.js';
import { decodeText, readFileBytes, writeFileAtomic, type InputFile } from './files.js';
import { UsageError } from './usage.js';

/** The layout of entries; a change of it is a new folder, so old entries are never misread. */
const layout = 'v1';

/** A file's lookup: its outcome when reused, else what converting it needs (its text, read once
 *  with the bytes the key was computed from) and where the outcome goes. */
export type Lookup =
  | { readonly kind: 'hit'; readonly file: InputFile; readonly outcome: FileOutcome }
  | { readonly kind: 'miss'; readonly file: InputFile; readonly slot: string; readonly key: string }
  /** Unreadable, too large, or not text: converted as without a cache (which reports why). */
  | { readonly kind: 'uncached'; readonly file: InputFile };

export interface CacheStats {
  /** Files whose outcome was reused. */
  readonly reused: string[];
  /** Files converted (no entry, an entry for other content or dependencies, or a rejected one). */
  readonly converted: string[];
  /** Entries found but not trusted: corrupt, for another key, or not parseable. */
  readonly rejected: string[];
  /** Entries written. */
  written: number;
}

export class ConversionCache {
  readonly stats: CacheStats = { reused: [], converted: [], rejected: [], written: 0 };
  private readonly folder: string;
  private optionFiles: Map<string, string | null>;
  private runKey: string | undefined;
  private readonly foldersMade = new Set<string>();
  private readonly digests = new Map<string, string | null>();
  private storing = true;

  /** `optionFiles`: every path the run's options may name as a pipeline or exclusions file, hashed
   *  now, before the command reads any (placeholder values are keyed as read, in the settings;
   *  --template files are read only once the first file is converted, after bind). `warn` reports, once, why entries
   *  are not stored (the run goes on without them). */
  constructor(
    dir: string,
    optionFiles: readonly string[],
    private readonly warn: (message: string) => void,
  ) {
    let stat;
    try {
      stat = statSync(dir);
    } catch {
      stat = undefined;
    }
    if (stat && !stat.isDirectory()) throw new UsageError(`--cache ${dir} is a file; the cache is a folder (it is made when missing)`);
    this.folder = join(dir, layout);
    this.optionFiles = new Map(optionFiles.map((p) => [p, fileDigest(p)]));
  }

  /** The run's part of every key (see the top of this file). */
  bind(settings: RunSettings): void {
    const file = (path: string) => ({ path, digest: this.optionFiles.has(path) ? this.optionFiles.get(path)! : fileDigest(path) });
    const pipelines = Object.fromEntries(settings.targets.map((t) => [t, (settings.pipelines[t] ?? []).map((p) => (typeof p === 'string' ? p : file(p.file)))]));
    const run = {
      layout,
      rulecast: codeDigest(),
      node: process.version,
      cwd: process.cwd(),
      targets: settings.targets,
      pipelines,
      formats: settings.formats,
      placeholders: settings.placeholders ?? null,
      exclusions: settings.exclusionFiles.map(file),
      // --template files by content: read when the first file is converted, after this.
      templates: Object.entries(settings.templates ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, path]) => ({ name, ...file(path) })),
      compact: settings.compact === true,
      untuned: settings.untuned === true,
      color: settings.color,
    };
    this.runKey = contentDigest(JSON.stringify(run));
    // Only the files the run uses are checked before storing; one that cannot be read now (a
    // folder, no permission) makes the run fail anyway, and nothing of it is stored.
    const used = [...settings.exclusionFiles, ...Object.values(settings.pipelines).flatMap((ps) => ps.flatMap((p) => (typeof p === 'string' ? [] : [p.file]))), ...Object.values(settings.templates ?? {})];
    this.optionFiles = new Map(used.map((p) => [p, file(p).digest]));
    this.storing = [...this.optionFiles.values()].every((d) => d !== null);
  }

  /** Reads the file, and its entry when there is one. */
  lookup(file: InputFile): Lookup {
    if (this.runKey === undefined) throw new Error('ConversionCache.bind must come before lookup');
    let bytes: Buffer;
    try {
      bytes = readFileBytes(file.path, file.absolute);
    } catch {
      return { kind: 'uncached', file };
    }
    const slot = contentDigest(`${this.runKey}\0${file.path}\0${file.absolute}`);
    // The slot names the run and the file; the key, echoed in the entry, the slot and the content
    // (an entry copied to another slot is not that file's).
    const key = contentDigest(`${slot}\0${contentDigest(bytes)}`);
    const outcome = this.read(slot, key);
    if (outcome) {
      this.stats.reused.push(file.path);
      return { kind: 'hit', file, outcome };
    }
    // Only text is stored, so a hit needs no decoding.
    let text: string;
    try {
      text = decodeText(file.path, bytes).text;
    } catch {
      return { kind: 'uncached', file };
    }
    this.stats.converted.push(file.path);
    return { kind: 'miss', file: { ...file, text }, slot, key };
  }

  /** Stores the outcomes of missed files (in the order of `misses`). */
  store(misses: readonly Extract<Lookup, { kind: 'miss' }>[], outcomes: readonly FileOutcome[]): void {
    if (!this.storing || misses.length === 0) return;
    const changed = [...this.optionFiles].find(([path, digest]) => fileDigest(path) !== digest);
    if (changed) {
      this.storing = false;
      this.warn(`rulecast: ${changed[0]} changed during the run; no cache entries stored`);
      return;
    }
    misses.forEach((miss, i) => {
      const outcome = outcomes[i]!;
      if (!this.storing || outcome.dependencies?.some((d) => d.digest === null)) return;
      const payload = JSON.stringify(outcome);
      const header = JSON.stringify({ key: miss.key, sha256: contentDigest(payload) });
      try {
        writeFileAtomic(this.entryPath(miss.slot), `${header}\n${payload}\n`, this.foldersMade);
        this.stats.written++;
      } catch (err) {
        this.storing = false;
        const code = err instanceof Error && 'code' in err ? String(err.code) : String(err);
        this.warn(`rulecast: cannot write the cache in ${this.folder} (${code}); the run goes on without storing`);
      }
    });
  }

  private entryPath(slot: string): string {
    return join(this.folder, `${slot}.json`);
  }

  /** The entry's outcome when it can be trusted (see the top of this file), else undefined. */
  private read(slot: string, key: string): FileOutcome | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.entryPath(slot));
    } catch {
      return undefined; // no entry (or unreadable: rewritten)
    }
    const reject = () => {
      this.stats.rejected.push(slot);
      return undefined;
    };
    const newline = bytes.indexOf(0x0a);
    if (newline < 0 || bytes[bytes.length - 1] !== 0x0a) return reject();
    // The payload's bytes are hashed as they are, before any decoding.
    const payload = bytes.subarray(newline + 1, bytes.length - 1);
    let outcome: FileOutcome;
    try {
      const header: unknown = JSON.parse(bytes.toString('utf8', 0, newline));
      if (!isHeader(header) || header.sha256 !== contentDigest(payload)) return reject();
      // An entry for the same file of the same run, with other content: a plain miss.
      if (header.key !== key) return undefined;
      outcome = JSON.parse(payload.toString('utf8')) as FileOutcome;
    } catch {
      return reject();
    }
    if (!outcome || !Array.isArray(outcome.results)) return reject();
    for (const d of outcome.dependencies ?? []) {
      if (!this.digests.has(d.path)) this.digests.set(d.path, fileDigest(d.path));
      if (this.digests.get(d.path) !== d.digest) return undefined;
    }
    return outcome;
  }
}

function isHeader(x: unknown): x is { key: string; sha256: string } {
  return typeof x === 'object' && x !== null && typeof (x as { key?: unknown }).key === 'string' && typeof (x as { sha256?: unknown }).sha256 === 'string';
}

let code: string | undefined;

/** rulecast's own content: every module of dist/src (the built-in pipelines and the precompiled
 *  templates are modules too) and package.json (the version, and the exact versions of the
 *  dependencies), so a rebuilt or upgraded rulecast never reuses an older one's outputs. Hashed
 *  once per run (about 1.8 MB: a few milliseconds). */
export function codeDigest(): string {
  code ??= treeDigest(fileURLToPath(new URL('..', import.meta.url)), fileURLToPath(new URL('../../../package.json', import.meta.url)));
  return code;
}

/** The digest of the .js files below `root` (names and contents) and of `packageJson`. */
export function treeDigest(root: string, packageJson: string): string {
  const parts: string[] = [contentDigest(readFileSync(packageJson))];
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.isDirectory()) walk(join(dir, e.name), `${rel}${e.name}/`);
      else if (e.name.endsWith('.js')) parts.push(`${rel}${e.name} ${contentDigest(readFileSync(join(dir, e.name)))}`);
    }
  };
  walk(root, '');
  return contentDigest(parts.join('\n'));
}
