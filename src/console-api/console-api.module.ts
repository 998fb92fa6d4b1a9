import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { CreditsModule } from '../credits/credits.module.js';
import { McpModule } from '../mcp/mcp.module.js';
import { AccountApiController } from './account.controller.js';
import { ApiAuthGuard } from './api-auth.guard.js';
import { CallsApiController } from './calls.controller.js';
import { ConfigApiController } from './config.controller.js';
import { ConsoleStaticController } from './console-static.controller.js';
import { KeysApiController } from './keys.controller.js';

/**
 * The web console: its JSON API under /api (thin controllers over the services /mcp uses, behind the same
 * AuthService and Origin policy) and its static build at /console/.
 */
@Module({
  imports: [AuthModule, CallsModule, CreditsModule, McpModule], // McpModule exports the OriginPolicy
  providers: [ApiAuthGuard],
  controllers: [
    ConfigApiController,
    AccountApiController,
    CallsApiController,
    KeysApiController,
    ConsoleStaticController,
  ],
})
export class ConsoleApiModule {}
