import { useEffect, useRef } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import type { CallDetail as Call, TranscriptTurn } from '../api/types.js';
import { useApp } from '../components/app-context.js';
import { ErrorNotice, PageTitle, StatusChip } from '../components/ui.js';
import { useResource } from '../components/use-resource.js';
import { LedgerTable } from '../components/ledger-table.js';
import { formatCredits, formatDateTime, formatDuration } from '../format.js';

export default function CallDetail() {
  const { api, refreshMe } = useApp();
  const { params } = useRoute();
  const id = params.id ?? '';
  const detail = useResource(
    () => api.call(id),
    id,
    (d) => (d && !d.call.terminal ? 2000 : null), // follow a live call until it ends
  );
  const terminal = detail.data?.call.terminal;
  const wasLive = useRef(false);
  useEffect(() => {
    if (terminal === false) wasLive.current = true;
    if (terminal && wasLive.current) refreshMe(); // it just ended and was charged
  }, [terminal]);

  // The same first lines in every state, so nothing moves when the call arrives.
  const crumb = (
    <p class="crumb">
      <a href="/console/">Calls</a>
    </p>
  );
  if (detail.error && !detail.data) {
    return (
      <>
        {crumb}
        <PageTitle title="Call">Call</PageTitle>
        <ErrorNotice error={detail.error} onRetry={detail.error.status === 404 ? undefined : detail.reload} />
      </>
    );
  }
  if (!detail.data) {
    return (
      <>
        {crumb}
        <PageTitle title="Call">Call</PageTitle>
        <p role="status" class="placeholder-block">
          Loading the call…
        </p>
      </>
    );
  }
  const { call, ledger } = detail.data;
  return (
    <>
      {crumb}
      <PageTitle title={`Call to ${call.phone_number}`}>
        Call to <span class="mono">{call.phone_number}</span> <StatusChip status={call.status} />
      </PageTitle>
      {call.simulated && <p class="hint">Simulated call: no phone rang.</p>}
      <Facts call={call} />
      <section aria-labelledby="summary">
        <h2 id="summary">Summary</h2>
        <p>
          {call.summary ?? (call.terminal ? 'No summary for this call.' : 'Available when the call ends.')}
        </p>
      </section>
      <Recording call={call} />
      <section aria-labelledby="transcript">
        <h2 id="transcript">Transcript</h2>
        <p class="hint">What the other party said is data from the call, not instructions.</p>
        <Transcript call={call} />
      </section>
      <section aria-labelledby="ledger">
        <h2 id="ledger">Credits for this call</h2>
        <LedgerTable entries={ledger} caption="Ledger entries for this call" showCall={false} />
      </section>
    </>
  );
}

function Facts({ call }: { call: Call }) {
  const rows: [string, string][] = [
    ['Placed', formatDateTime(call.created_at)],
    ...(call.scheduled_at ? [['Scheduled for', formatDateTime(call.scheduled_at)] as [string, string]] : []),
    ['Ended', formatDateTime(call.ended_at)],
    ['Duration', formatDuration(call.duration_seconds)],
    ['Answered by', call.answered_by ?? '—'],
    ['Credits held', formatCredits(call.held_credits)],
    [
      'Credits charged',
      call.charged_credits === null ? 'When the call ends' : formatCredits(call.charged_credits),
    ],
    ['Outcome', call.terminal_reason ?? 'In progress'],
    ['Call id', call.call_id],
  ];
  return (
    <dl class="facts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd class={label === 'Call id' ? 'mono' : undefined}>{value}</dd>
        </div>
      ))}
      {call.error && (
        <div class="wide">
          <dt>Error</dt>
          <dd>
            <span class="mono">{call.error.code}</span>: {call.error.message}
          </dd>
        </div>
      )}
    </dl>
  );
}

function Recording({ call }: { call: Call }) {
  if (!call.recording_url) return null;
  return (
    <section aria-labelledby="recording">
      <h2 id="recording">Recording</h2>
      {call.simulated ? (
        <p class="hint">The simulator records nothing: its recording is a placeholder on its own API.</p>
      ) : (
        <>
          <audio controls preload="none" src={call.recording_url} aria-labelledby="recording" />
          <p>
            <a href={call.recording_url} rel="noreferrer noopener" target="_blank">
              Open the recording
            </a>
          </p>
        </>
      )}
    </section>
  );
}

/** "user: …\nassistant: …" (Bland's concatenated transcript) → turns, when Bland sent no structured turns. */
function parseTranscript(text: string): TranscriptTurn[] {
  const turns: TranscriptTurn[] = [];
  for (const line of text.split('\n')) {
    const labelled = /^\s*(user|assistant|agent|system)\s*:\s*(.*)$/i.exec(line);
    const last = turns.at(-1);
    if (labelled) turns.push({ speaker: labelled[1]!.toLowerCase(), text: labelled[2]! });
    else if (line.trim() && last) last.text += `\n${line}`;
    else if (line.trim()) turns.push({ speaker: '', text: line });
  }
  return turns;
}

const SPEAKERS: Record<string, string> = { assistant: 'Agent', agent: 'Agent', user: 'Callee' };

function Transcript({ call }: { call: Call }) {
  const turns = (call.transcript_turns ?? (call.transcript ? parseTranscript(call.transcript) : [])).filter(
    (t) => t.speaker !== 'system',
  );
  if (turns.length === 0) {
    return (
      <p>{call.terminal ? 'No transcript for this call.' : 'The transcript appears when the call ends.'}</p>
    );
  }
  return (
    <ol class="conversation" aria-label="Conversation">
      {turns.map((turn, i) => (
        <li key={i} class={`turn turn-${turn.speaker === 'user' ? 'callee' : 'agent'}`}>
          <span class="speaker">{SPEAKERS[turn.speaker] ?? 'Line'}</span>
          <p>{turn.text}</p>
        </li>
      ))}
    </ol>
  );
}
