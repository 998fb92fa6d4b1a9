/** AMI retention: the selection rule (property-based) and a cleanup run against simulated EC2. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { cleanupAmis, selectImagesToRemove } from '../../scripts/lib/ami-cleanup.ts';
import type { ImageInfo } from '../../scripts/lib/aws.ts';
import { AMI_NAME_PATTERN, AMI_TAGS } from '../../scripts/lib/stack.ts';
import {
  AMI_ANCIENT,
  AMI_NEW,
  AMI_OLD,
  AMI_OLDER,
  createFixture,
  type Fixture,
} from './support/pipeline-fixture.ts';

const imageArb = fc.record({
  id: fc.stringMatching(/^ami-[0-9a-f]{8}$/),
  name: fc.constant('bland-mcp'),
  createdAt: fc.integer({ min: 0, max: 1_000_000 }),
  tags: fc.constant({}),
  snapshotIds: fc.array(fc.constantFrom('snap-1', 'snap-2', 'snap-3', 'snap-4', 'snap-5'), { maxLength: 2 }),
});

describe('selectImagesToRemove', () => {
  it('never removes an image in use or one of the newest N, and removes every other one', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(imageArb, { selector: (i) => i.id, maxLength: 25 }),
        fc.func(fc.boolean()),
        fc.integer({ min: 0, max: 8 }),
        (images: ImageInfo[], isUsed, keep) => {
          const inUse = new Set(images.filter((i) => isUsed(i.id)).map((i) => i.id));
          const { remove, snapshots, kept } = selectImagesToRemove(images, inUse, keep);
          const newest = [...images]
            .sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id))
            .slice(0, keep);

          for (const image of remove) expect(inUse.has(image.id)).toBe(false);
          for (const image of newest) expect(remove).not.toContainEqual(image);
          expect(remove.length + kept.length).toBe(images.length);
          // A snapshot is deleted only if no kept image uses it.
          const keptIds = new Set(kept.map((k) => k.id));
          const keptSnapshots = new Set(
            images.filter((i) => keptIds.has(i.id)).flatMap((i) => i.snapshotIds),
          );
          for (const snapshot of snapshots) expect(keptSnapshots.has(snapshot)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('explains why each image stays', () => {
    const image = (id: string, createdAt: number) => ({ id, name: id, createdAt, tags: {}, snapshotIds: [] });
    const { remove, kept } = selectImagesToRemove(
      [image('ami-old', 1), image('ami-mid', 2), image('ami-new', 3)],
      new Set(['ami-old']),
      1,
    );
    expect(kept).toEqual([
      { id: 'ami-new', why: 'one of the newest 1' },
      { id: 'ami-old', why: 'in use' },
    ]);
    expect(remove.map((i) => i.id)).toEqual(['ami-mid']);
  });
});

describe('cleanupAmis', () => {
  let f: Fixture;
  const filters = [
    { name: 'name', values: [AMI_NAME_PATTERN] },
    { name: 'tag-key', values: [AMI_TAGS.gitSha] },
  ];
  beforeEach(() => {
    f = createFixture();
    // Ten more releases, 20..29 days old, none in use.
    for (let n = 0; n < 10; n++) f.world.addImage(`ami-00000000000000e${n}0`, `${n}`.repeat(40), 20 + n);
    // An unrelated AMI of the account (no pipeline tag): never considered.
    f.world.images.set('ami-0f0f0f0f0f0f0f0f0', {
      id: 'ami-0f0f0f0f0f0f0f0f0',
      name: 'someone-else',
      createdAt: 0,
      tags: {},
      snapshotIds: ['snap-x'],
    });
  });
  afterEach(() => f.world.restore());

  it('never deletes an AMI in use, whoever uses it', async () => {
    f.world.otherInstanceAmis.push('ami-00000000000000e90'); // an instance outside the stack
    f.world.otherLaunchTemplateAmis.push('ami-00000000000000e80'); // another launch template

    const result = await cleanupAmis(f.deps, {
      keep: 2,
      filters,
      protectedAmis: new Set([AMI_OLDER]),
      dryRun: false,
    });

    expect(result.outcome).toBe('succeeded');
    const removed = f.world.writes.filter((w) => w.startsWith('DeregisterImage')).map((w) => w.split(' ')[1]);
    for (const used of [
      AMI_OLD,
      AMI_OLDER,
      'ami-00000000000000e90',
      'ami-00000000000000e80',
      'ami-0f0f0f0f0f0f0f0f0',
    ]) {
      expect(removed).not.toContain(used);
      expect(f.world.images.has(used)).toBe(true);
    }
    // Newest two (AMI_NEW, AMI_OLD) kept; blue=AMI_OLD and green=AMI_OLDER are in use; the rest goes.
    expect(f.world.images.has(AMI_NEW)).toBe(true);
    expect(removed).toContain(AMI_ANCIENT);
    expect(removed).toHaveLength(9);
    expect(f.world.writes.filter((w) => w.startsWith('DeleteSnapshot'))).toHaveLength(9);
  });

  it('deletes nothing in a dry run', async () => {
    const result = await cleanupAmis(f.deps, { keep: 2, filters, protectedAmis: new Set(), dryRun: true });
    expect(result.outcome).toBe('planned');
    expect(result.headline).toMatch(/would remove 11 AMI\(s\) and 11 snapshot\(s\)/);
    expect(f.world.writes).toEqual([]);
  });
});
