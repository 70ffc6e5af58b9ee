/**
 * Code a page does not need to be readable: loaded after hydration, so that a phone on a slow network
 * runs the page sooner (docs/performance.md, "Page weight"). Two helpers:
 *
 * - `onceLoaded(load)`: a dynamic import started at most once that never fails for good: when the
 *   browser is offline it waits until it is back online; a load that fails anyway is tried again
 *   then, or every few seconds.
 * - `deferredComponent(load)`: a component whose code arrives after hydration. The server renders it
 *   at once (its copy is loaded at start-up), so the page without JavaScript and the first paint are
 *   complete; in the browser it sits in a Suspense boundary, which React hydrates when the code has
 *   arrived (until then the server's HTML stays as it was, and the component keeps the props of its
 *   first render, since an update would make React drop that HTML). Rendered later in the browser
 *   (after a navigation), it shows nothing until its code is there.
 */
import { lazy, Suspense, useEffect, useMemo, useRef, useState, type ComponentType, type JSX } from "react";

const RETRY_MS = 5_000;

function waitToRetry(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener("online", done);
      resolve();
    };
    const timer = setTimeout(done, RETRY_MS);
    window.addEventListener("online", done);
  });
}

/** Resolves at once when the browser says it is online, else when it comes back online. */
export function whenOnline(): Promise<void> {
  if (typeof navigator === "undefined" || navigator.onLine !== false) return Promise.resolve();
  return new Promise((resolve) => window.addEventListener("online", () => resolve(), { once: true }));
}

export function onceLoaded<T>(load: () => Promise<T>): { load: () => Promise<T>; loaded: () => T | null } {
  let value: T | null = null;
  let pending: Promise<T> | null = null;
  const attempt = async (): Promise<T> => {
    for (;;) {
      try {
        // Offline, a request would only fail (and say so in the console): wait for the network.
        await whenOnline();
        value = await load();
        return value;
      } catch (error) {
        // On the server a failure is a bug, not a network: say so.
        if (typeof window === "undefined") throw error;
        await waitToRetry();
      }
    }
  };
  return { load: () => (pending ??= attempt()), loaded: () => value };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- props pass through unchanged
export function deferredComponent<P extends Record<string, any>>(load: () => Promise<ComponentType<P>>): ComponentType<P> & { preload: () => Promise<unknown> } {
  const chunk = onceLoaded(load);
  // The server holds every module already: load it now, so that requests render it synchronously.
  if (typeof document === "undefined") void chunk.load();
  type InnerProps = { props: P; onReady: (ready: boolean) => void };
  // In the browser: the loaded component, telling its parent once it has been committed (hydrated).
  const Inner = lazy(async () => {
    const Loaded = await chunk.load();
    function Ready({ props, onReady }: InnerProps) {
      useEffect(() => onReady(true), [onReady]);
      return <Loaded {...props} />;
    }
    return { default: Ready };
  });
  function Deferred(props: P): JSX.Element {
    const [ready, setReady] = useState(false);
    // Until the boundary has hydrated, it must receive no update (React would throw its server HTML
    // away, error #421): it keeps the props of its first render, and the same element, until then.
    const first = useRef(props);
    const shown = ready ? props : first.current;
    const element = useMemo(() => {
      const Loaded = typeof document === "undefined" ? chunk.loaded() : null;
      return <Suspense fallback={null}>{Loaded ? <Loaded {...shown} /> : <Inner props={shown} onReady={setReady} />}</Suspense>;
    }, [shown]);
    return element;
  }
  return Object.assign(Deferred, { preload: () => chunk.load() });
}
