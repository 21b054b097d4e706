// Bug: an attempt waits its full round timeout even when the overall deadline comes sooner.
/**
 * Reference stub resolver: timeouts, exponential backoff, failover across servers, TCP after a
 * truncated UDP reply, an overall deadline, and an attempt log.
 */
import {
  DEFAULTS,
  RCODE,
  ResolveError,
  TransportError,
  type Attempt,
  type AttemptResult,
  type Clock,
  type Outcome,
  type Proto,
  type Question,
  type Reply,
  type Resolution,
  type ResolverOptions,
  type Transport,
} from './types';

// ---- Task 1: what did the server say? -------------------------------------------------------

export function classifyReply(reply: Reply, proto: Proto): Outcome {
  // Over UDP a truncated reply is incomplete whatever its RCODE: ask again over TCP.
  // Over TCP there is nothing bigger to fall back to, so TC is ignored.
  if (proto === 'udp' && reply.tc) return 'truncated';
  switch (reply.rcode) {
    case RCODE.NOERROR: return 'answer';
    case RCODE.NXDOMAIN: return 'nxdomain';
    case RCODE.SERVFAIL: return 'servfail';
    case RCODE.REFUSED: return 'refused';
    default: return 'bad-rcode';
  }
}

export function classifyError(error: unknown): Outcome {
  if (error instanceof TransportError && (error.code === 'port-unreachable' || error.code === 'connection-refused')) {
    return 'unreachable';
  }
  return 'network-error';
}

// ---- Task 2: one attempt on a timer ---------------------------------------------------------

export function attempt(
  transport: Transport,
  clock: Clock,
  server: string,
  proto: Proto,
  question: Question,
  timeout: number,
): Promise<AttemptResult> {
  const start = clock.now();
  const controller = new AbortController();
  return new Promise<AttemptResult>((resolve) => {
    let done = false;
    const finish = (outcome: Outcome, reply?: Reply) => {
      if (done) return; // a late reply, after the timer: nobody is listening any more
      done = true;
      clock.clearTimeout(timer);
      const log: Attempt = { server, proto, start, timeout, end: clock.now(), outcome };
      resolve(reply ? { attempt: log, reply } : { attempt: log });
    };
    const timer = clock.setTimeout(() => {
      finish('timeout');
      controller.abort();
    }, timeout);
    transport.send({ server, proto, question, signal: controller.signal }).then(
      (reply) => finish(classifyReply(reply, proto), reply),
      (error: unknown) => finish(classifyError(error)),
    );
  });
}

// ---- Task 3: rounds, backoff, failover -------------------------------------------------------

export function roundTimeout(round: number, options: { initialTimeout?: number; maxTimeout?: number } = {}): number {
  const initial = options.initialTimeout ?? DEFAULTS.initialTimeout;
  const max = options.maxTimeout ?? DEFAULTS.maxTimeout;
  return Math.min(initial * 2 ** round, max);
}

/** Outcomes after which asking the same server again in a later round is pointless (RFC 1035 §7.2). */
const DROP: ReadonlySet<Outcome> = new Set<Outcome>(['refused', 'bad-rcode', 'unreachable']);

export async function resolve(question: Question, options: ResolverOptions): Promise<Resolution> {
  const { servers, transport, clock } = options;
  const rounds = options.rounds ?? DEFAULTS.rounds;
  const attempts: Attempt[] = [];
  if (servers.length === 0) throw new ResolveError('no-servers', attempts);
  const deadlineAt = clock.now() + (options.deadline ?? DEFAULTS.deadline);
  const dropped = new Set<number>();

  for (let round = 0; round < rounds; round++) {
    const limit = roundTimeout(round, options);
    for (let i = 0; i < servers.length; i++) {
      if (dropped.has(i)) continue;
      const server = servers[i]!;
      let proto: Proto = 'udp';
      for (;;) {
        // Task 5: every attempt waits at most until the deadline; none starts after it.
        const remaining = deadlineAt - clock.now();
        if (remaining <= 0) throw new ResolveError('timeout', attempts);
        const { attempt: a, reply } = await attempt(transport, clock, server, proto, question, limit);
        attempts.push(a);
        if ((a.outcome === 'answer' || a.outcome === 'nxdomain') && reply) return { reply, server, proto, attempts };
        // Task 4: a truncated UDP reply sends us to the same server over TCP, at once.
        if (a.outcome === 'truncated') {
          proto = 'tcp';
          continue;
        }
        if (DROP.has(a.outcome)) dropped.add(i);
        break;
      }
    }
  }
  throw new ResolveError('all-servers-failed', attempts);
}
