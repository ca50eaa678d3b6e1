// Exclusion files on the command line: `--exclusions <file>` (every rule of the run) and a rule's
// own `rulecast: {exclusions: <path>}` (relative to the rule file), read once each.
import { dirname, relative, resolve } from 'node:path';
import { formatDiagnostic } from '../diagnostics/format.js';
import { isRulecastError, RulecastError } from '../diagnostics/diagnostic.js';
import { readExclusions, type ExclusionFile } from '../exclusions/read.js';
import type { CompiledDocument } from '../index.js';
import { decodeText, readFileBytes, readTextFile } from './files.js';
import { absentDigest, contentDigest } from './digest.js';
import { namedExclusions } from '../app/tune.js';
import type { Terminal } from './terminal.js';
import { write } from './terminal.js';
import { UsageError } from './usage.js';

/** Reads the files named by --exclusions; a file with errors stops the run (exit 2), since every
 *  tuned output would lack what the analyst asked to exclude. */
export function readOptionExclusions(paths: readonly string[], term: Terminal): ExclusionFile[] {
  return paths.map((p) => {
    let file: ExclusionFile;
    try {
      file = readExclusions(readTextFile(p, resolve(p)).text, p);
    } catch (err) {
      if (isRulecastError(err)) throw err;
      throw new UsageError(`cannot read exclusions file ${p}`);
    }
    const errors = [...file.diagnostics, ...file.exclusions.flatMap((e) => e.diagnostics)].filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      for (const e of errors) write(term.err, formatDiagnostic(e, { color: term.color }));
      throw new UsageError(`the exclusions file ${p} has ${errors.length} error(s)`);
    }
    return file;
  });
}

/** Exclusion files named by rules, cached by absolute path. */
export class RuleExclusions {
  private readonly cache = new Map<string, ExclusionFile | RulecastError>();
  /** The content each file had when it was read (contentDigest), for --cache: an outcome depends
   *  on the exclusions files its rules name. */
  readonly digests = new Map<string, string | null>();

  /** The file a rule names under `rulecast.exclusions`, or undefined. Throws RulecastError.
   *  `used` collects the absolute paths of the files named (read or not). */
  forRule(doc: CompiledDocument, rulePath: string, used?: Set<string>): ExclusionFile | undefined {
    const named = namedExclusions(doc);
    if (!named) return undefined;
    const ref = named.ref;
    const absolute = resolve(dirname(resolve(rulePath)), ref);
    used?.add(absolute);
    let cached = this.cache.get(absolute);
    if (!cached) {
      try {
        const shown = relative(process.cwd(), absolute);
        let bytes: Buffer;
        try {
          bytes = readFileBytes(ref, absolute);
        } catch (err) {
          // Absent or too large: the outcome's dependency is the file's absence, or not cacheable.
          this.digests.set(absolute, err instanceof Error && 'code' in err && err.code === 'ENOENT' ? absentDigest : null);
          throw err;
        }
        this.digests.set(absolute, contentDigest(bytes));
        cached = readExclusions(decodeText(ref, bytes).text, shown.startsWith('..') ? absolute : shown);
      } catch (err) {
        if (isRulecastError(err)) cached = err;
        else if (err instanceof Error && 'code' in err && err.code === 'ENOENT') {
          cached = new RulecastError('missing-exclusions', `the rule's exclusions file '${ref}' does not exist (looked for ${absolute})`, named.span);
        } else throw err;
      }
      this.cache.set(absolute, cached);
    }
    if (cached instanceof RulecastError) throw cached;
    return cached;
  }
}
