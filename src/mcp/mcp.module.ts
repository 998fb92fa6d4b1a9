import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { CallsModule } from '../calls/calls.module.js';
import { CreditsModule } from '../credits/credits.module.js';
import { OriginPolicy } from '../http/origin-policy.js';
import { McpController } from './mcp.controller.js';
import { VoicesService } from './voices.service.js';

@Module({
  imports: [AuthModule, CallsModule, CreditsModule],
  providers: [VoicesService, OriginPolicy],
  controllers: [McpController],
  exports: [OriginPolicy, VoicesService],
})
export class McpModule {}
