import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { ApiKeysService } from '../auth/api-keys.service.js';
import type { AuthContext } from '../auth/auth-context.js';
import { ApiAuthGuard, CurrentAuth } from './api-auth.guard.js';
import { parseInput } from './api-input.js';
import { apiKeyView } from './api-views.js';

const CreateKeyBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'at most 100 characters').optional(),
    expires_at: z.iso
      .datetime({ offset: true, error: 'expected an ISO 8601 time such as 2027-01-01T00:00:00Z' })
      .refine((v) => Date.parse(v) > Date.now(), 'must be in the future')
      .optional(),
  })
  .strict();

/** The caller's API keys. A new key's secret is in the create response only; it is stored as a hash. */
@Controller('api/keys')
@UseGuards(ApiAuthGuard)
export class KeysApiController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  async list(@CurrentAuth() auth: AuthContext) {
    return { keys: (await this.keys.list(auth.userId)).map((k) => apiKeyView(k, auth)) };
  }

  @Post()
  @HttpCode(201)
  async create(@CurrentAuth() auth: AuthContext, @Body() body: unknown) {
    const input = parseInput(CreateKeyBody, body);
    const { key, record } = await this.keys.create(auth.userId, {
      name: input.name ?? null,
      expiresAt: input.expires_at ? new Date(input.expires_at) : null,
    });
    return { key, api_key: apiKeyView(record, auth) };
  }

  /** Idempotent; another user's key is 404 like a missing one. */
  @Delete(':id')
  async revoke(@CurrentAuth() auth: AuthContext, @Param('id') id: string) {
    return { api_key: apiKeyView(await this.keys.revoke(id, auth.userId), auth) };
  }
}
