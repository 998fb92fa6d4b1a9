import { Injectable } from '@nestjs/common';
import { BlandConnection } from '../calls/bland-connection.js';
import { BlandError } from '../calls/bland/bland.errors.js';
import { blandFailureToAppError } from '../calls/bland-errors.mapping.js';

export interface Voice {
  id: string;
  name: string;
  description: string | null;
}

const TTL_MS = 5 * 60_000;

/** Bland's voice list, cached briefly per process (it changes rarely and list_voices should not cost a round trip). */
@Injectable()
export class VoicesService {
  private cache?: { at: number; voices: Voice[] };
  private inflight?: Promise<Voice[]>;

  constructor(private readonly bland: BlandConnection) {}

  async list(): Promise<Voice[]> {
    if (this.cache && Date.now() - this.cache.at < TTL_MS) return this.cache.voices;
    this.inflight ??= this.fetch().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetch(): Promise<Voice[]> {
    try {
      const raw = await this.bland.client.listVoices();
      const voices = raw.map((v) => ({
        id: String(v.id ?? v.name),
        name: String(v.name ?? v.id),
        description: typeof v.description === 'string' ? v.description : null,
      }));
      this.cache = { at: Date.now(), voices };
      return voices;
    } catch (err) {
      throw err instanceof BlandError ? blandFailureToAppError(err) : err;
    }
  }
}
