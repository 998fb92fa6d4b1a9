import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { ApiKeysService } from '../auth/api-keys.service.js';
import { AppError, isUniqueViolation } from '../common/errors/app-error.js';
import { isUuid } from '../common/uuid.js';
import { CreditsRepository } from '../credits/credits.repository.js';
import { CreditsService } from '../credits/credits.service.js';
import { DatabaseService } from '../database/database.service.js';
import { UsersRepository, type User } from './users.repository.js';

const Email = z.email();

@Injectable()
export class UsersService {
  constructor(
    private readonly db: DatabaseService,
    private readonly users: UsersRepository,
    private readonly credits: CreditsService,
    private readonly creditsRepo: CreditsRepository,
    private readonly keys: ApiKeysService,
  ) {}

  /** Creates a user with a credit account (and optional starting credits and first API key). */
  async create(input: {
    email: string;
    displayName?: string | null;
    credits?: number;
    withApiKey?: boolean;
    authSubject?: string | null;
    actor: string;
  }): Promise<{ user: User; apiKey?: string }> {
    const email = input.email.trim().toLowerCase();
    if (!Email.safeParse(email).success) {
      throw new AppError(
        'validation',
        'USERS.INVALID_EMAIL',
        `email: "${input.email}" is not a valid email address`,
      );
    }
    if (input.credits !== undefined && (!Number.isInteger(input.credits) || input.credits < 0)) {
      throw new AppError('validation', 'CREDITS.INVALID_AMOUNT', 'credits: must be a whole number ≥ 0');
    }
    let created: { user: User; apiKey?: string };
    try {
      created = await this.db.transaction(async (tx) => {
        const user = await this.users.insert(tx, {
          email,
          displayName: input.displayName?.trim() || null,
          authSubject: input.authSubject ?? null,
        });
        await this.creditsRepo.createAccount(tx, user.id);
        const apiKey = input.withApiKey
          ? (await this.keys.create(user.id, { name: 'first key' }, tx)).key
          : undefined;
        return { user, apiKey };
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('conflict', 'USERS.EMAIL_TAKEN', `email: a user with ${email} already exists`);
      }
      throw err;
    }
    if (input.credits)
      await this.credits.grant(created.user.id, input.credits, 'initial credits', input.actor);
    return created;
  }

  /** The user behind a Supabase Auth subject, created (with zero credits) on first OAuth login. */
  async findOrCreateByAuthSubject(subject: string, email: string): Promise<User> {
    const existing = await this.users.findByAuthSubject(subject);
    if (existing) return existing;
    try {
      return (await this.create({ email, authSubject: subject, actor: 'oauth' })).user;
    } catch (err) {
      const raced = await this.users.findByAuthSubject(subject);
      if (raced) return raced;
      throw err;
    }
  }

  async get(id: string): Promise<User> {
    const user = isUuid(id) ? await this.users.findById(id) : undefined;
    if (!user) throw new AppError('not_found', 'USERS.NOT_FOUND', `user ${id} not found`);
    return user;
  }

  list(limit = 100) {
    return this.users.list(limit);
  }

  count(): Promise<number> {
    return this.users.count();
  }

  async disable(id: string): Promise<User> {
    await this.get(id);
    return (await this.users.setStatus(id, 'disabled'))!;
  }

  async enable(id: string): Promise<User> {
    await this.get(id);
    return (await this.users.setStatus(id, 'active'))!;
  }
}
