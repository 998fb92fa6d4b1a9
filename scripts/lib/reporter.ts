/**
 * Progress a person can follow (which step, what it waits for, elapsed time) and the run's outcome in two
 * forms: a Markdown job summary for GitHub and a JSON result the workflow's notification step reads.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Clock } from './clock.ts';
import { formatDuration } from './clock.ts';

export type StepOutcome = 'ok' | 'skipped' | 'failed';

export interface StepRecord {
  id: string;
  title: string;
  outcome: StepOutcome | 'running';
  detail: string | null;
  startedAt: number;
  durationMs: number | null;
}

export type RunOutcome = 'succeeded' | 'noop' | 'planned' | 'failed' | 'rolled_back';

export interface RunResult {
  operation: string;
  environment: string;
  outcome: RunOutcome;
  headline: string;
  details: Record<string, string>;
  steps: StepRecord[];
}

export function exitCodeFor(outcome: RunOutcome): number {
  return outcome === 'failed' || outcome === 'rolled_back' ? 1 : 0;
}

export class Reporter {
  readonly steps: StepRecord[] = [];
  readonly lines: string[] = [];
  private readonly startedAt: number;
  private readonly clock: Clock;
  private readonly write: (line: string) => void;

  // Plain fields rather than parameter properties: Node runs these scripts by stripping types, and
  // parameter properties are TypeScript-only syntax it refuses to strip.
  constructor(clock: Clock, write: (line: string) => void = (line) => console.log(line)) {
    this.clock = clock;
    this.write = write;
    this.startedAt = clock.now();
  }

  /** Starts a step; the previous step, if still running, is closed as ok. */
  step(id: string, title: string): void {
    this.closeRunning('ok', null);
    this.steps.push({
      id,
      title,
      outcome: 'running',
      detail: null,
      startedAt: this.clock.now(),
      durationMs: null,
    });
    this.emit(`▶ ${title}`);
  }

  /** Closes the running step with an outcome (used for skipped and failed steps, and for a detail line). */
  end(outcome: StepOutcome, detail: string | null = null): void {
    this.closeRunning(outcome, detail);
    const mark = { ok: '✓', skipped: '–', failed: '✗' }[outcome];
    if (detail) this.emit(`  ${mark} ${detail}`);
  }

  /** A waiting line: what we wait for, with the time spent in the current step. */
  waiting(message: string): void {
    const current = this.running();
    const inStep = current ? ` (${formatDuration(this.clock.now() - current.startedAt)} in step)` : '';
    this.emit(`  … ${message}${inStep}`);
  }

  info(message: string): void {
    this.emit(`  ${message}`);
  }

  warn(message: string): void {
    this.emit(`  ⚠ ${message}`);
  }

  finish(
    operation: string,
    environment: string,
    outcome: RunOutcome,
    headline: string,
    details: Record<string, string> = {},
  ): RunResult {
    this.closeRunning(outcome === 'failed' || outcome === 'rolled_back' ? 'failed' : 'ok', null);
    this.emit(`${outcome === 'failed' || outcome === 'rolled_back' ? '✗' : '✓'} ${headline}`);
    return { operation, environment, outcome, headline, details, steps: this.steps.map((s) => ({ ...s })) };
  }

  private running(): StepRecord | undefined {
    const last = this.steps.at(-1);
    return last?.outcome === 'running' ? last : undefined;
  }

  private closeRunning(outcome: StepOutcome, detail: string | null): void {
    const current = this.running();
    if (!current) return;
    current.outcome = outcome;
    current.detail = detail;
    current.durationMs = this.clock.now() - current.startedAt;
  }

  private emit(text: string): void {
    const line = `[${formatDuration(this.clock.now() - this.startedAt).padStart(6)}] ${text}`;
    this.lines.push(line);
    this.write(line);
  }
}

export function renderMarkdown(result: RunResult): string {
  const icon = { ok: '✅', skipped: '⏭️', failed: '❌', running: '⏳' } as const;
  const rows = result.steps.map(
    (s) =>
      `| ${icon[s.outcome]} | ${s.title} | ${s.durationMs === null ? '' : formatDuration(s.durationMs)} | ${s.detail ?? ''} |`,
  );
  const details = Object.entries(result.details).map(([k, v]) => `- **${k}:** ${v}`);
  return [
    `### ${result.operation} ${result.environment}: ${result.outcome}`,
    '',
    result.headline,
    '',
    ...details,
    '',
    '| | Step | Time | Detail |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** Writes dist/deploy/<operation>-result.json and, inside GitHub Actions, the job summary. */
export async function publishResult(result: RunResult, resultFile: string): Promise<void> {
  await mkdir(dirname(resultFile), { recursive: true });
  await writeFile(resultFile, `${JSON.stringify(result, null, 2)}\n`);
  const summaryFile = process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) await appendFile(summaryFile, renderMarkdown(result));
}
