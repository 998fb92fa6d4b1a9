import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.js';
import { useApp } from './app-context.js';

export interface Resource<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `load()` when `key` changes, optionally again every `pollMs` while the tab is visible. A 401 means the
 * credentials stopped working (key revoked, session ended): the console signs out and says why.
 */
export function useResource<T>(
  load: () => Promise<T>,
  key: string,
  pollMs?: (data: T | undefined) => number | null,
): Resource<T> {
  const { signOut } = useApp();
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(load);
  latest.current = load;
  const loadedKey = useRef(key);

  useEffect(() => {
    let live = true;
    // A poll keeps showing the data it refreshes; another key (new filters) must not show the old answer.
    const sameKey = loadedKey.current === key;
    loadedKey.current = key;
    setState((s) => ({
      data: sameKey ? s.data : undefined,
      error: sameKey ? s.error : undefined,
      loading: true,
    }));
    latest.current().then(
      (data) => live && setState({ data, loading: false }),
      (err: unknown) => {
        if (!live) return;
        const error = err instanceof ApiError ? err : new ApiError(0, 'UNKNOWN', String(err));
        if (error.status === 401) signOut(error.message);
        setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => {
      live = false;
    };
  }, [key, tick]);

  const interval = pollMs?.(state.data) ?? null;
  useEffect(() => {
    if (interval === null || state.loading) return;
    // A hidden tab does not poll; it catches up as soon as it is shown again.
    const fire = () => {
      if (document.visibilityState === 'visible') setTick((t) => t + 1);
      else document.addEventListener('visibilitychange', fire, { once: true });
    };
    const timer = setTimeout(fire, interval);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', fire);
    };
  }, [interval, state.loading]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
