// Which completed runs of an agent are scored live: a fixed fraction (`evalSampleRate`), chosen by
// a hash of the run id so the same run is always in or out of the sample, whoever asks.
import { createHash } from 'node:crypto';

/** Whether `runId` falls in a sample of `rate` (0: none, 1: every run). */
export function inLiveSample(runId: string, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  const digest = createHash('sha256').update(runId).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000 < rate;
}
