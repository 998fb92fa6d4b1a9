/**
 * What a simulated call "does": its timings, transcript and summary, drawn from a seeded generator so the same
 * seed and requests always produce the same calls. Durations are simulated (unscaled) values.
 */
import type { BlandAnsweredBy, BlandSendCallRequest, BlandSpeaker } from '../bland.types.js';
import { seededRandom, type Random } from './sim.random.js';
import type { SimEndStatus, SimOutcome } from './sim.types.js';

export interface ScriptedTurn {
  user: BlandSpeaker;
  text: string;
}

export interface CallScript {
  outcome: SimOutcome;
  endStatus: SimEndStatus;
  /** Time in Bland's queue before dialling. */
  queueMs: number;
  /** Ringing until answered or given up. */
  ringMs: number;
  /** Connected time; 0 when nobody answered. */
  talkSeconds: number;
  turns: ScriptedTurn[];
  summary: string | null;
  answeredBy: BlandAnsweredBy | null;
  errorMessage: string | null;
  endedBy: 'ASSISTANT' | 'USER' | null;
}

const OUTCOME_WEIGHTS: [SimOutcome, number][] = [
  ['completed', 0.7],
  ['voicemail', 0.1],
  ['no-answer', 0.1],
  ['busy', 0.06],
  ['failed', 0.04],
];

const GREETINGS = [
  'Hello?',
  'Hi, who is this?',
  'Hello, this is Sam speaking.',
  'Yeah, hello?',
  'Good afternoon.',
];
const OPENERS = [
  "Hi! I'm an AI assistant calling on someone's behalf. Do you have a moment?",
  'Hello, this is an automated assistant with a quick call. Is now a good time?',
];
const AGREEMENTS = ['Sure, go ahead.', 'Yes, I have a minute.', 'Okay, what is it about?'];
const REPLIES = [
  'That works for me.',
  'Okay, thanks for letting me know.',
  'Could you send that in writing as well?',
  'Tuesday afternoon would be best.',
  'No, I think that covers it.',
];
const FOLLOW_UPS = [
  "Got it, I'll pass that along.",
  "Perfect, I've noted that.",
  "Thanks, that's really helpful.",
];
const CLOSINGS = ['Thank you for your time. Have a great day!', "That's everything I needed. Goodbye!"];
const SUMMARY_ENDINGS = [
  'The callee agreed and the call ended politely.',
  'The callee asked for a written follow-up.',
  'The callee gave the information requested.',
];
const VOICEMAIL_GREETING = "Hi, you've reached my voicemail. Please leave a message after the tone.";
const FAILURES = [
  'Call failed: the destination number is unreachable.',
  'Call failed: the carrier rejected the call.',
];

export function drawOutcome(random: Random): SimOutcome {
  let roll = random.next();
  for (const [outcome, weight] of OUTCOME_WEIGHTS) {
    if (roll < weight) return outcome;
    roll -= weight;
  }
  return 'completed';
}

/** A caller id from the fictional 555-01xx range, standing in for Bland's number pool. */
export function poolNumber(random: Random): string {
  return `+1415555${String(random.int(100, 199)).padStart(4, '0')}`;
}

export function writeScript(
  scriptSeed: number,
  request: BlandSendCallRequest,
  outcome: SimOutcome,
): CallScript {
  const random = seededRandom(scriptSeed);
  const maxTalkSeconds = Math.max(1, Math.floor((request.max_duration ?? 30) * 60));
  const queueMs = random.int(300, 1_200);
  const topic = topicOf(request);
  switch (outcome) {
    case 'completed': {
      const turns = conversation(random, request, topic);
      return {
        ...ended(outcome, 'completed', queueMs),
        ringMs: random.int(3_000, 12_000),
        talkSeconds: Math.min(maxTalkSeconds, random.int(20, 180)),
        turns,
        summary: `The assistant called ${request.phone_number} about ${topic}. ${random.pick(SUMMARY_ENDINGS)}`,
        answeredBy: 'human',
        endedBy: random.next() < 0.7 ? 'ASSISTANT' : 'USER',
      };
    }
    case 'voicemail': {
      const leaves = request.voicemail?.action?.startsWith('leave_message') ?? false;
      const message = request.voicemail?.message ?? `Hello, this is a message about ${topic}. Goodbye.`;
      return {
        ...ended(outcome, 'completed', queueMs),
        ringMs: random.int(8_000, 20_000),
        talkSeconds: Math.min(maxTalkSeconds, random.int(8, 25)),
        turns: [{ user: 'user', text: VOICEMAIL_GREETING }, ...(leaves ? [assistant(message)] : [])],
        summary: leaves
          ? `The call reached voicemail; the assistant left a message about ${topic}.`
          : 'The call reached voicemail and the assistant hung up.',
        answeredBy: 'voicemail',
        endedBy: 'ASSISTANT',
      };
    }
    case 'no-answer':
      return {
        ...ended(outcome, 'no-answer', queueMs),
        ringMs: random.int(25_000, 35_000),
        answeredBy: 'no-answer',
      };
    case 'busy':
      return { ...ended(outcome, 'busy', queueMs), ringMs: random.int(1_000, 3_000) };
    case 'failed':
      return {
        ...ended(outcome, 'failed', queueMs),
        ringMs: random.int(500, 2_500),
        errorMessage: random.pick(FAILURES),
      };
  }
}

/** The turns spoken in the first `fraction` of a call (for a call stopped mid-way). */
export function spokenBefore(turns: readonly ScriptedTurn[], fraction: number): ScriptedTurn[] {
  return turns.slice(0, Math.max(0, Math.floor(turns.length * Math.min(1, fraction))));
}

/** Bland's concatenated_transcript format: "user: … \n assistant: …", system entries excluded. */
export function concatenate(turns: readonly ScriptedTurn[]): string {
  return turns
    .filter((t) => t.user === 'user' || t.user === 'assistant')
    .map((t) => `${t.user}: ${t.text}`)
    .join(' \n ');
}

function ended(outcome: SimOutcome, endStatus: SimEndStatus, queueMs: number): CallScript {
  return {
    outcome,
    endStatus,
    queueMs,
    ringMs: 0,
    talkSeconds: 0,
    turns: [],
    summary: null,
    answeredBy: null,
    errorMessage: null,
    endedBy: null,
  };
}

function conversation(random: Random, request: BlandSendCallRequest, topic: string): ScriptedTurn[] {
  const turns: ScriptedTurn[] = [
    callee(random.pick(GREETINGS)),
    assistant(request.first_sentence ?? random.pick(OPENERS)),
    callee(random.pick(AGREEMENTS)),
    assistant(`I'm calling about ${topic}.`),
  ];
  const exchanges = random.int(1, 3);
  for (let i = 0; i < exchanges; i++)
    turns.push(callee(random.pick(REPLIES)), assistant(random.pick(FOLLOW_UPS)));
  turns.push(assistant(random.pick(CLOSINGS)), callee('Bye.'));
  return turns;
}

function topicOf(request: BlandSendCallRequest): string {
  if (!request.task) return `pathway ${request.pathway_id ?? request.persona_id ?? 'unknown'}`;
  const firstSentence = request.task.trim().split(/(?<=[.!?])\s/)[0] ?? '';
  const clipped = firstSentence.length > 120 ? `${firstSentence.slice(0, 117)}...` : firstSentence;
  return `"${clipped}"`;
}

function assistant(text: string): ScriptedTurn {
  return { user: 'assistant', text };
}

function callee(text: string): ScriptedTurn {
  return { user: 'user', text };
}
