/**
 * A live run: the learner's code against a real peer over a real byte stream. The run itself
 * knows nothing of Node: it gets a `ByteStream` and writes lines through `print`, so the CLI
 * can hand it a TCP socket and another host could hand it any duplex stream.
 */

/** A duplex byte stream: TCP, or anything that behaves like it (no message boundaries). */
export interface ByteStream {
  write(bytes: Uint8Array): void;
  /** Resolves with the next bytes that arrive, or null once the peer has closed. */
  read(): Promise<Uint8Array | null>;
  close(): void;
}

export interface LiveContext {
  /** The learner's module, loaded from their file with the lab's provided files. */
  learner: Record<string, unknown>;
  /** The stream to the peer, already connected. */
  stream: ByteStream;
  /** Who the peer is, for the report ("nginx-rtmp 1.22.1"). */
  peer: string;
  /** Where it listens: "127.0.0.1:19350". */
  address: string;
  /** Print one line of the annotated exchange. */
  print(line: string): void;
  /** Milliseconds since the run started; the learner's clock for the handshake. */
  clock(): number;
}

export interface LiveOutcome {
  /** Did the learner's code do its part (the handshake completed and was checked)? */
  ok: boolean;
  /** One line: what the peer finally said. */
  verdict: string;
}

export interface LiveRun {
  labId: string;
  /** One line for the CLI's help. */
  summary: string;
  run(ctx: LiveContext): Promise<LiveOutcome>;
}

/** A server a live run talks to, started for the run and stopped after it. */
export interface LiveServer {
  peer: string;
  port: number;
  stop(): Promise<void>;
}
