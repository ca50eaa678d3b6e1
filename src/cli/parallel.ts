// Converting many files on several cores (`convert --jobs N`): the files are dealt out to worker
// threads, which each read, parse and convert their share; the results come back in input order
// (then the run's correlations are settled across all files: settleCorrelations).
// Off by default: measured on the 2-vCPU machines this project is built on, two workers (threads or
// processes) each take as long for half the corpus as one thread for all of it (the work is bound by
// memory and allocation, which the vCPUs share), so threads only add their start-up cost there.
// On machines with real cores to spare, --jobs lets a user have them.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { Converter, settleCorrelations, type FileOutcome, type Preloaded, type RunSettings } from './convert-run.js';
import type { ConversionCache, Lookup } from './cache.js';
import type { InputFile } from './files.js';
import { conversionBatchSize } from '../index.js';

/** The worker threads for a run: as asked (at most one per core and per file), none by default. */
export function workerCount(files: number, requested?: number): number {
  if (requested === undefined) return 0;
  return Math.max(0, Math.min(requested, availableParallelism(), 16, files));
}

export async function convertFiles(
  files: readonly InputFile[],
  settings: RunSettings,
  options: { workers?: number; onProgress?: (done: number) => void; preloaded?: Preloaded; cache?: ConversionCache } = {},
): Promise<FileOutcome[]> {
  const { cache } = options;
  cache?.bind(settings);
  const workers = workerCount(files.length, options.workers);
  if (workers <= 1) {
    // Made on the first file to convert: a run whose outcomes all come from the cache reads no
    // pipeline or exclusions file again.
    let converter: Converter | undefined;
    const convert = (batch: readonly InputFile[]) => (converter ??= new Converter(settings, options.preloaded)).convertBatch(batch);
    const outcomes: FileOutcome[] = [];
    for (let i = 0; i < files.length; i += conversionBatchSize) {
      const batch = files.slice(i, i + conversionBatchSize);
      outcomes.push(...(cache ? throughCache(cache, batch, convert) : convert(batch)));
      options.onProgress?.(outcomes.length);
    }
    return settleCorrelations(outcomes, files, settings);
  }
  const looked = cache ? files.map((f) => cache.lookup(f)) : undefined;
  const todo = looked ? looked.flatMap((l) => (l.kind === 'hit' ? [] : [l.file])) : files;
  const converted = await convertOnWorkers(todo, settings, workerCount(todo.length, options.workers), (done) => options.onProgress?.(files.length - todo.length + done), options.preloaded);
  const outcomes = looked ? merge(cache!, looked, converted) : converted;
  return settleCorrelations(outcomes, files, settings);
}

/** The outcomes of `files` in order: reused from the cache, or converted and stored. */
function throughCache(cache: ConversionCache, files: readonly InputFile[], convert: (files: readonly InputFile[]) => readonly FileOutcome[]): FileOutcome[] {
  const looked = files.map((f) => cache.lookup(f));
  const todo = looked.flatMap((l) => (l.kind === 'hit' ? [] : [l.file]));
  return merge(cache, looked, todo.length ? convert(todo) : []);
}

/** Lookups and the outcomes of the files they missed (in order) → every outcome in order; the
 *  missed ones stored. */
function merge(cache: ConversionCache, looked: readonly Lookup[], converted: readonly FileOutcome[]): FileOutcome[] {
  let next = 0;
  const misses: Extract<Lookup, { kind: 'miss' }>[] = [];
  const stored: FileOutcome[] = [];
  const outcomes = looked.map((l) => {
    if (l.kind === 'hit') return l.outcome;
    const outcome = converted[next++]!;
    if (l.kind === 'miss') {
      misses.push(l);
      stored.push(outcome);
    }
    return outcome;
  });
  cache.store(misses, stored);
  return outcomes;
}

async function convertOnWorkers(files: readonly InputFile[], settings: RunSettings, workers: number, onProgress: (done: number) => void, preloaded?: Preloaded): Promise<FileOutcome[]> {
  if (files.length === 0) return [];
  // What the cache left to convert may be too little to share.
  if (workers <= 1) return new Converter(settings, preloaded).convertBatch(files);
  // Deal the files round-robin, so each worker gets a similar mix of large and small rules.
  const shares: { at: number; file: InputFile }[][] = Array.from({ length: workers }, () => []);
  files.forEach((file, at) => shares[at % workers]!.push({ at, file }));
  const outcomes: FileOutcome[] = new Array(files.length);
  let done = 0;
  await Promise.all(
    shares.map(
      (share) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: { settings, files: share } });
          worker.on('message', (m: { at: number; outcome: FileOutcome }) => {
            outcomes[m.at] = m.outcome;
            onProgress(++done);
          });
          worker.once('error', reject);
          worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a conversion worker stopped with code ${code}`))));
        }),
    ),
  );
  return outcomes;
}
