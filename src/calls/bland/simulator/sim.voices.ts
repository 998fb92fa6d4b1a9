import type { BlandVoice } from '../bland.types.js';

/** A few of Bland's curated voices, in the shape of GET /v1/voices/{id} (ids are stable placeholders). */
export const SIM_VOICES: readonly BlandVoice[] = [
  voice('8d8a4b3e-3c0a-4c1e-9b1a-0a0000000001', 'maya', 'Young American Female', ['english', 'soft']),
  voice('8d8a4b3e-3c0a-4c1e-9b1a-0a0000000002', 'mason', 'American Male', ['english', 'calm']),
  voice('8d8a4b3e-3c0a-4c1e-9b1a-0a0000000003', 'ryan', 'Professional American Male', ['english']),
  voice('8d8a4b3e-3c0a-4c1e-9b1a-0a0000000004', 'adriana', 'Warm Spanish-English Female', [
    'english',
    'spanish',
  ]),
  voice('8d8a4b3e-3c0a-4c1e-9b1a-0a0000000005', 'evelyn', 'British Female', ['english', 'british']),
];

function voice(id: string, name: string, description: string, tags: string[]): BlandVoice {
  return {
    id,
    name,
    description,
    public: true,
    tags: [...tags, 'Bland Curated'],
    total_ratings: 0,
    average_rating: 0,
  };
}
