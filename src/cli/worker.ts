// A worker thread of a parallel conversion: converts its share of the files and posts one message
// per file (results are plain data), then ends.
import { parentPort, workerData } from 'node:worker_threads';
import { Converter, type RunSettings } from './convert-run.js';
import type { InputFile } from './files.js';

interface Job {
  readonly settings: RunSettings;
  /** The files of this worker, with their positions in the whole run. */
  readonly files: readonly { readonly at: number; readonly file: InputFile }[];
}

const job = workerData as Job;
const converter = new Converter(job.settings);
for (const { at, file } of job.files) {
  parentPort!.postMessage({ at, outcome: converter.convertFile(file) });
}
