import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/** The URL this server is reached at: PUBLIC_URL, else the address it listens on (set after listen). */
@Injectable()
export class PublicUrlService {
  private listening?: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  setListeningUrl(url: string): void {
    this.listening = url;
  }

  get(): string | undefined {
    return (this.config.PUBLIC_URL ?? this.listening)?.replace(/\/$/, '');
  }
}
