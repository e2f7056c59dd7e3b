// A PostgreSQL wire-protocol server over one embedded PGlite (with pgvector), for test runs on a
// machine without PostgreSQL: the API, workers and spawned worker processes all connect to it as
// they would to a real server. PGlite has one session, so a connection holds it exclusively from
// its first message until the server says it is idle again (ReadyForQuery 'I'): an extended-protocol
// exchange or a transaction never interleaves with another connection's.
import net from 'node:net';

const SSL_REQUEST_CODE = 80877103;
const GSS_REQUEST_CODE = 80877104;
const CANCEL_REQUEST_CODE = 80877102;
const READY_FOR_QUERY = 0x5a; // 'Z'
const IDLE = 0x49; // 'I'
const TERMINATE = 0x58; // 'X'

/** What the server needs of a PGlite instance (typed structurally: PGlite ships two module formats). */
export type PgliteSession = {
  execProtocolRaw(message: Uint8Array): Promise<Uint8Array>;
  isInTransaction(): boolean;
  exec(query: string): Promise<unknown>;
};

export type PgliteServer = { url: string; port: number; close(): Promise<void> };

/** One holder at a time; waiters queue in arrival order. */
class SessionLock {
  private holder: number | undefined;
  private readonly waiting: Array<{ id: number; grant: () => void }> = [];

  async acquire(id: number): Promise<void> {
    if (this.holder === id) return;
    if (this.holder === undefined) {
      this.holder = id;
      return;
    }
    await new Promise<void>((grant) => this.waiting.push({ id, grant }));
  }

  release(id: number): void {
    if (this.holder !== id) return;
    const next = this.waiting.shift();
    this.holder = next?.id;
    next?.grant();
  }

  holds(id: number): boolean {
    return this.holder === id;
  }
}

/** True when a response ends with ReadyForQuery reporting an idle session (no open transaction). */
function endsIdle(response: Uint8Array): boolean {
  const start = response.length - 6;
  return start >= 0 && response[start] === READY_FOR_QUERY && response[start + 5] === IDLE;
}

/** Length of the next complete message in `buffer`, or 0 when more bytes are needed. */
function nextMessageLength(buffer: Buffer, startedUp: boolean): number {
  if (startedUp) return buffer.length >= 5 && buffer.length >= 1 + buffer.readInt32BE(1) ? 1 + buffer.readInt32BE(1) : 0;
  return buffer.length >= 4 && buffer.length >= buffer.readInt32BE(0) ? buffer.readInt32BE(0) : 0;
}

export async function startPgliteServer(database: PgliteSession, port = 0): Promise<PgliteServer> {
  const lock = new SessionLock();
  const sockets = new Set<net.Socket>();
  let nextId = 1;

  const serve = (socket: net.Socket): void => {
    const id = nextId++;
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffer = Buffer.alloc(0);
    let startedUp = false;
    let chain = Promise.resolve();

    const handle = async (message: Buffer): Promise<void> => {
      if (!startedUp && message.length >= 8) {
        const code = message.readInt32BE(4);
        if (code === SSL_REQUEST_CODE || code === GSS_REQUEST_CODE) return void socket.write('N');
        if (code === CANCEL_REQUEST_CODE) return void socket.end();
      }
      if (startedUp && message[0] === TERMINATE) return void socket.end();
      await lock.acquire(id);
      const response = await database.execProtocolRaw(new Uint8Array(message));
      startedUp = true;
      if (socket.writable && response.length > 0) socket.write(response);
      if (endsIdle(response)) lock.release(id);
    };

    // Messages are framed one at a time, after the previous one was answered: the first message
    // (startup) has no type byte, every later one has.
    const drain = async (): Promise<void> => {
      for (let length = nextMessageLength(buffer, startedUp); length > 0; length = nextMessageLength(buffer, startedUp)) {
        const message = Buffer.from(buffer.subarray(0, length));
        buffer = buffer.subarray(length);
        await handle(message);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      chain = chain.then(drain).catch(() => void socket.destroy());
    });
    const closed = (): void => {
      sockets.delete(socket);
      chain = chain.then(async () => {
        // A client gone mid-transaction must not leave the shared session inside it.
        if (!lock.holds(id)) return;
        if (database.isInTransaction()) await database.exec('ROLLBACK').catch(() => undefined);
        lock.release(id);
      });
    };
    socket.on('close', closed);
    socket.on('error', () => socket.destroy());
  };

  const server = net.createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    url: `postgres://postgres@127.0.0.1:${address.port}/postgres`,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
