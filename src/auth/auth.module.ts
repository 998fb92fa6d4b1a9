import { Module } from '@nestjs/common';
import { CallsModule } from '../calls/calls.module.js';
import { CreditsModule } from '../credits/credits.module.js';
import { AuthService } from './auth.service.js';
import { OAuthTokenVerifier } from './oauth-token.verifier.js';
import { ProtectedResourceController } from './protected-resource.controller.js';

@Module({
  imports: [CreditsModule, CallsModule],
  providers: [AuthService, OAuthTokenVerifier],
  controllers: [ProtectedResourceController],
  exports: [AuthService],
})
export class AuthModule {}
