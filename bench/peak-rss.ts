// Preloaded (node --import) into the processes the bench times: at exit, the process's peak
// resident memory (KB) and CPU time (user + system, µs, every thread) go to file descriptor 3, a
// pipe the bench reads. Node gives a parent no child's rusage, and /usr/bin/time is not on every
// machine.
import { writeSync } from 'node:fs';

process.once('exit', () => {
  try {
    const usage = process.resourceUsage();
    writeSync(3, `${usage.maxRSS} ${usage.userCPUTime + usage.systemCPUTime}\n`);
  } catch {
    // Not run by the bench (no fd 3): nothing to report.
  }
});
