// Content hashes for --cache (cache.ts): what a conversion read, named by its bytes, never by a
// timestamp.
import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';

/** sha256 of the bytes (a string: of its UTF-8), hex. crypto.hash (Node 20.12 and later) makes
 *  no Hash object: about half the time for the few-kilobyte texts a cached run hashes by thousands. */
export const contentDigest: (bytes: Uint8Array | string) => string =
  typeof crypto.hash === 'function' ? (bytes) => crypto.hash('sha256', bytes, 'hex') : (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/** The digest of a file that does not exist (a rule may name an exclusions file yet to be made). */
export const absentDigest = 'absent';

/** A file's digest as a conversion would see it now: its bytes' hash, or absentDigest. Other
 *  errors (a folder, no permission) are null: nothing that depends on the file is trusted. */
export function fileDigest(absolute: string): string | null {
  try {
    return contentDigest(readFileSync(absolute));
  } catch (err) {
    return err instanceof Error && 'code' in err && err.code === 'ENOENT' ? absentDigest : null;
  }
}
