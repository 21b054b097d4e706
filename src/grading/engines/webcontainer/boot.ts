/**
 * Booting a WebContainer, which can only go wrong in ways the page must explain: with no
 * network boot() never settles (so we race it against a timeout), without cross-origin
 * isolation it throws, and some browsers cannot run it at all. A page boots at most once:
 * after a failure it falls back for good (a reload retries).
 */
import type { Container } from './container.ts';

export type BootState = { ok: true; container: Container } | { ok: false; reason: string };

export const REASONS = {
  notIsolated: 'not cross-origin isolated',
  timedOut: 'boot timed out: StackBlitz unreachable?',
  unsupported: 'browser not supported',
  offline: 'the browser is offline',
  unreachable: 'StackBlitz unreachable',
} as const;

/** Where @webcontainer/api loads its iframe from (it honours the same global override). */
export function webcontainerHostUrl(scope: typeof globalThis = globalThis): string {
  const base = (scope as { WEBCONTAINER_API_IFRAME_URL?: string }).WEBCONTAINER_API_IFRAME_URL ?? 'https://stackblitz.com';
  return new URL('/headless', base).href;
}

/**
 * Whether the boot can already be known to fail: the browser says it is offline, or the
 * iframe's host cannot be reached at all (a no-cors request rejects only on a network error:
 * name not resolved, refused, blocked). Resolves with the reason, or never when the host
 * answered: then only the boot itself, or its timeout, decides.
 */
export function hostUnreachable(url = webcontainerHostUrl(), scope: typeof globalThis = globalThis): Promise<string> {
  return new Promise((resolve) => {
    if (scope.navigator?.onLine === false) return resolve(REASONS.offline);
    scope.fetch(url, { mode: 'no-cors', credentials: 'omit', cache: 'no-store' }).then(
      () => {},
      () => resolve(REASONS.unreachable),
    );
  });
}

/** Why this page cannot run a WebContainer at all, before trying. */
export function environmentProblem(scope: typeof globalThis = globalThis): string | undefined {
  if (!scope.crossOriginIsolated) return REASONS.notIsolated;
  if (typeof scope.SharedArrayBuffer !== 'function' || typeof scope.Atomics !== 'object' || typeof scope.WebAssembly !== 'object') {
    return REASONS.unsupported;
  }
  return undefined;
}

export function bootFailureReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/SharedArrayBuffer|crossOriginIsolated|cross-origin/i.test(message)) return REASONS.notIsolated;
  if (/not supported|unsupported/i.test(message)) return REASONS.unsupported;
  return `boot failed: ${message}`;
}

/**
 * Race boot() against a timeout and, when given, a probe that finds the boot cannot succeed
 * (`unreachable` resolves with the reason); the (possibly never-settling) boot is left behind.
 */
export async function bootWithTimeout(boot: () => Promise<Container>, timeoutMs: number, unreachable?: () => Promise<string>): Promise<BootState> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<BootState>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: REASONS.timedOut }), timeoutMs);
  });
  const booted = Promise.resolve()
    .then(boot)
    .then((container): BootState => ({ ok: true, container }), (e: unknown): BootState => ({ ok: false, reason: bootFailureReason(e) }));
  try {
    const probe = unreachable ? unreachable().then((reason): BootState => ({ ok: false, reason })) : new Promise<BootState>(() => {});
    return await Promise.race([booted, timeout, probe]);
  } finally {
    clearTimeout(timer);
  }
}

let pageBoot: Promise<Container> | undefined;

/**
 * @webcontainer/api's boot, loaded only now and called at most once per page. `coep` must
 * match the page's Cross-Origin-Embedder-Policy header.
 */
export function bootOncePerPage(coep: 'require-corp' | 'credentialless' = 'require-corp'): Promise<Container> {
  pageBoot ??= import('@webcontainer/api').then(({ WebContainer }) => WebContainer.boot({ coep }));
  return pageBoot;
}
