// Tells binary files from text by sampling their first bytes, so read_file never dumps bytes at the model.
import { open } from 'node:fs/promises';

/** Bytes sampled from the start of a file. */
export const BINARY_SAMPLE_BYTES = 8192;
/** Share of control or undecodable characters above which a sample counts as binary. */
export const BINARY_SUSPICIOUS_RATIO = 0.1;

const ALLOWED_CONTROL_CHARACTERS = new Set(['\t', '\n', '\r', '\f', '\b', '\u001b']);

export async function isBinaryFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const sample = Buffer.alloc(BINARY_SAMPLE_BYTES);
    const { bytesRead } = await handle.read(sample, 0, BINARY_SAMPLE_BYTES, 0);
    return isBinarySample(sample.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

export function isBinarySample(sample: Uint8Array): boolean {
  if (sample.includes(0)) return true;
  const text = new TextDecoder('utf-8').decode(sample, { stream: true });
  if (text.length === 0) return false;
  let suspicious = 0;
  for (const character of text) {
    if (character === '\uFFFD') suspicious += 1;
    else if (character < ' ' && !ALLOWED_CONTROL_CHARACTERS.has(character)) suspicious += 1;
  }
  return suspicious / text.length > BINARY_SUSPICIOUS_RATIO;
}
