/**
 * A stub resolver that keeps going when servers don't answer.
 * Read instructions.md for the rules; types.ts has every type named here.
 */
import {
  DEFAULTS,
  RCODE,
  ResolveError,
  TransportError,
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

/** The outcome of an attempt that got a reply over `proto`. */
export function classifyReply(reply: Reply, proto: Proto): Outcome {
  throw new Error('TODO: classifyReply');
}

/** The outcome of an attempt whose transport rejected with `error`. */
export function classifyError(error: unknown): Outcome {
  throw new Error('TODO: classifyError');
}

// ---- Task 2: one attempt on a timer ---------------------------------------------------------

/** Send `question` to `server` once, and wait at most `timeout` ms of `clock` time. */
export function attempt(
  transport: Transport,
  clock: Clock,
  server: string,
  proto: Proto,
  question: Question,
  timeout: number,
): Promise<AttemptResult> {
  throw new Error('TODO: attempt');
}

// ---- Task 3: rounds, backoff, failover -------------------------------------------------------

/** How long each attempt of round `round` (0, 1, 2, ...) may wait. */
export function roundTimeout(round: number, options: { initialTimeout?: number; maxTimeout?: number } = {}): number {
  throw new Error('TODO: roundTimeout');
}

/** Resolve `question` through `options.servers` (tasks 3, 4 and 5). */
export async function resolve(question: Question, options: ResolverOptions): Promise<Resolution> {
  throw new Error('TODO: resolve');
}
