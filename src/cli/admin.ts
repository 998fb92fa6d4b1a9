import { parseArgs } from 'node:util';
import { AppError } from '../common/errors/app-error.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { openAdminContext, type AdminContext } from './admin-context.js';

const USAGE = `Usage: npm run admin -- <command> [options] [--json]

  users:create   --email E [--name N] [--credits N]   create a user; prints its id and first API key (shown once)
  users:list                                         list users with balances
  users:disable  --user ID                           disable a user (their keys stop working at once)
  users:enable   --user ID
  keys:create    --user ID [--name N] [--expires-in 90d|12h|30m]
  keys:list      --user ID
  keys:revoke    --key KEY_ID
  credits:grant  --user ID --amount N [--reason R]
  credits:adjust --user ID --amount=±N --reason R     (write negative amounts as --amount=-5)
  credits:show   --user ID                           balance, held, available and the last ledger entries
  credits:refund --call CALL_ID --amount N --reason R

Database: DATABASE_URL, else the embedded database under DATA_DIR (the running server's, if one is up).`;

class UsageError extends Error {}

const OPTIONS = {
  email: { type: 'string' },
  name: { type: 'string' },
  credits: { type: 'string' },
  user: { type: 'string' },
  key: { type: 'string' },
  call: { type: 'string' },
  amount: { type: 'string' },
  reason: { type: 'string' },
  'expires-in': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Options = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function required(options: Options, name: keyof Options): string {
  const value = options[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`missing --${name}`);
  return value.trim();
}

function integer(value: string, name: string, { signed = false } = {}): number {
  if (!(signed ? /^[+-]?\d+$/ : /^\d+$/).test(value)) {
    throw new UsageError(
      `--${name} must be a whole number${signed ? ' (may be negative: --' + name + '=-5)' : ''}, got "${value}"`,
    );
  }
  return Number(value);
}

function duration(value: string): Date {
  const match = /^(\d+)([dhm])$/.exec(value);
  if (!match) throw new UsageError(`--expires-in must look like 90d, 12h or 30m, got "${value}"`);
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2] as 'd' | 'h' | 'm'];
  return new Date(Date.now() + Number(match[1]) * unit);
}

type Output = { text: string; json: unknown };

async function run(command: string, o: Options, ctx: AdminContext): Promise<Output> {
  switch (command) {
    case 'users:create': {
      const credits = o.credits === undefined ? undefined : integer(o.credits, 'credits');
      const { user, apiKey } = await ctx.users.create({
        email: required(o, 'email'),
        displayName: o.name,
        credits,
        withApiKey: true,
        actor: 'admin-cli',
      });
      return {
        json: { user_id: user.id, email: user.email, api_key: apiKey, credits: credits ?? 0 },
        text: `user_id ${user.id}\nemail   ${user.email}\ncredits ${credits ?? 0}\napi_key ${apiKey}\n(the key is shown only now: store it safely)`,
      };
    }
    case 'users:list': {
      const users = await ctx.users.list(1000);
      return {
        json: users.map((u) => ({
          user_id: u.id,
          email: u.email,
          name: u.displayName,
          status: u.status,
          balance: u.balance,
          held: u.held,
        })),
        text: users.length
          ? users
              .map(
                (u) =>
                  `${u.id}  ${u.status.padEnd(8)}  ${String(u.balance - u.held).padStart(8)} avail  ${u.email}`,
              )
              .join('\n')
          : '(no users)',
      };
    }
    case 'users:disable':
    case 'users:enable': {
      const id = required(o, 'user');
      const user = command === 'users:disable' ? await ctx.users.disable(id) : await ctx.users.enable(id);
      return {
        json: { user_id: user.id, status: user.status },
        text: `user ${user.id} is now ${user.status}`,
      };
    }
    case 'keys:create': {
      const expiresAt = o['expires-in'] ? duration(o['expires-in']) : null;
      const user = await ctx.users.get(required(o, 'user'));
      const { key, record } = await ctx.keys.create(user.id, { name: o.name ?? null, expiresAt });
      return {
        json: { key_id: record.id, user_id: user.id, api_key: key, expires_at: record.expiresAt },
        text: `key_id  ${record.id}\napi_key ${key}\nexpires ${record.expiresAt?.toISOString() ?? 'never'}\n(the key is shown only now)`,
      };
    }
    case 'keys:list': {
      const keys = await ctx.keys.list((await ctx.users.get(required(o, 'user'))).id);
      return {
        json: keys.map((k) => ({
          key_id: k.id,
          prefix: k.prefix,
          last4: k.last4,
          name: k.name,
          revoked_at: k.revokedAt,
          expires_at: k.expiresAt,
          last_used_at: k.lastUsedAt,
        })),
        text:
          keys
            .map(
              (k) =>
                `${k.id}  ${k.prefix}…${k.last4}  ${k.revokedAt ? 'revoked' : 'active'}  ${k.name ?? ''}`,
            )
            .join('\n') || '(no keys)',
      };
    }
    case 'keys:revoke': {
      const key = await ctx.keys.revoke(required(o, 'key'));
      return { json: { key_id: key.id, revoked_at: key.revokedAt }, text: `key ${key.id} revoked` };
    }
    case 'credits:grant':
    case 'credits:adjust': {
      const grant = command === 'credits:grant';
      const amount = integer(required(o, 'amount'), 'amount', { signed: !grant });
      const reason = grant ? (o.reason ?? null) : required(o, 'reason');
      const user = await ctx.users.get(required(o, 'user'));
      const entry = grant
        ? await ctx.credits.grant(user.id, amount, reason, 'admin-cli')
        : await ctx.credits.adjust(user.id, amount, reason!, 'admin-cli');
      const json = {
        user_id: user.id,
        entry_id: entry.id,
        amount: entry.amount,
        balance: entry.balanceAfter,
        held: entry.heldAfter,
        available: entry.balanceAfter - entry.heldAfter,
      };
      return {
        json,
        text: `${entry.kind} ${entry.amount}: balance ${json.balance}, held ${json.held}, available ${json.available}`,
      };
    }
    case 'credits:show': {
      const user = await ctx.users.get(required(o, 'user'));
      const balance = await ctx.credits.balance(user.id);
      const { entries } = await ctx.credits.history(user.id, null, 10);
      return {
        json: { user_id: user.id, ...balance, entries },
        text: [
          `balance ${balance.balance}  held ${balance.held}  available ${balance.available}`,
          ...entries.map(
            (e) =>
              `${e.createdAt.toISOString()}  ${e.kind.padEnd(7)} ${String(e.amount).padStart(7)}  ${e.callId ?? e.reason ?? ''}`,
          ),
        ].join('\n'),
      };
    }
    case 'credits:refund': {
      const entry = await ctx.credits.refund(
        required(o, 'call'),
        integer(required(o, 'amount'), 'amount'),
        required(o, 'reason'),
        'admin-cli',
      );
      return {
        json: { entry_id: entry.id, amount: entry.amount, balance: entry.balanceAfter },
        text: `refunded ${entry.amount}: balance ${entry.balanceAfter}`,
      };
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`error: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (positionals.length > 1) {
    console.error(`error: unexpected argument "${positionals[1]}"\n\n${USAGE}`);
    return 2;
  }
  let ctx: AdminContext | undefined;
  try {
    ctx = await openAdminContext(loadConfig());
    const out = await run(positionals[0]!, values, ctx);
    console.log(values.json ? JSON.stringify(out.json, null, 2) : out.text);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) console.error(`error: ${err.message}\n\n${USAGE}`);
    else if (err instanceof AppError || err instanceof ConfigError) console.error(`error: ${err.message}`);
    else console.error(`error: ${(err as Error).message ?? String(err)}`);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    await ctx?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
