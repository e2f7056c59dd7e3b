// A raw HTTP/1.1 request over a socket, for what fetch refuses to send: bytes that are not UTF-8,
// CR/LF inside header values, duplicate or conflicting headers, unencoded paths.
import net from 'node:net';

export type RawResponse = { status: number; text: string; headers: Record<string, string> };

const RAW_TIMEOUT_MS = 10_000;

function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let position = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', position);
    if (lineEnd < 0) break;
    const size = Number.parseInt(body.subarray(position, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    position = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Sends `head` (request line and headers, without the blank line) and `body`; the server closes after answering. */
export function rawRequest(url: string, head: string, body: Buffer | string = ''): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('raw request timed out')), RAW_TIMEOUT_MS);
    socket.on('connect', () => {
      socket.write(`${head}\r\nconnection: close\r\n\r\n`, 'latin1');
      socket.end(body);
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      if (split < 0) {
        reject(new Error(`no HTTP answer: ${JSON.stringify(all.toString('latin1').slice(0, 200))}`));
        return;
      }
      const [statusLine = '', ...headerLines] = all.subarray(0, split).toString('latin1').split('\r\n');
      const headers = Object.fromEntries(headerLines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      }));
      const rawBody = all.subarray(split + 4);
      const text = (headers['transfer-encoding'] === 'chunked' ? decodeChunked(rawBody) : rawBody).toString('utf8');
      resolve({ status: Number(statusLine.split(' ')[1]), text, headers });
    });
  });
}
