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
  options: { workers?: number; onProgress?: (done: number) => void; preloaded?: Preloaded } = {},
): Promise<FileOutcome[]> {
  const workers = workerCount(files.length, options.workers);
  if (workers <= 1) {
    const converter = new Converter(settings, options.preloaded);
    const outcomes: FileOutcome[] = [];
    for (let i = 0; i < files.length; i += conversionBatchSize) {
      outcomes.push(...converter.convertBatch(files.slice(i, i + conversionBatchSize)));
      options.onProgress?.(outcomes.length);
    }
    return settleCorrelations(outcomes, files, settings);
  }
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
            options.onProgress?.(++done);
          });
          worker.once('error', reject);
          worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a conversion worker stopped with code ${code}`))));
        }),
    ),
  );
  return settleCorrelations(outcomes, files, settings);
}
