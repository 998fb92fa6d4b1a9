import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from '../api/client.js';
import type { ConsoleConfig, Me } from '../api/types.js';

export interface AppState {
  config: ConsoleConfig;
  api: Api;
  me: Me;
  /** Re-reads /api/me (the balance in the header) after something changed it. */
  refreshMe: () => void;
  signOut: (reason?: string) => void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside the signed-in console');
  return state;
}
