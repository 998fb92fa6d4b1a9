import type { AuthContext } from '../auth/auth-context.js';
import type { CallsService } from '../calls/calls.service.js';
import type { AppConfig } from '../config/app-config.js';
import type { CreditsService } from '../credits/credits.service.js';
import type { VoicesService } from './voices.service.js';

/** What every tool, resource and prompt handler gets: the caller, and the services (never repositories). */
export interface ToolContext {
  auth: AuthContext;
  calls: CallsService;
  credits: CreditsService;
  voices: VoicesService;
  config: AppConfig;
  simulated: boolean;
  logUnexpected(err: unknown): void;
}
