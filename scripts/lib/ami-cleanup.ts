/**
 * AMI retention: deregister the pipeline's AMIs (and their snapshots) that are older than the newest `keep`
 * releases and that nothing uses. "Uses" is deliberately broad — either colour of any environment, the
 * recorded previous release (the rollback target), any instance or launch template in the region — and if any
 * of that cannot be read, nothing is deleted.
 */
import type { AwsGateway, ImageFilter, ImageInfo } from './aws.ts';
import type { Reporter, RunResult } from './reporter.ts';

export interface Selection {
  remove: ImageInfo[];
  /** Snapshots of removed images that no kept image shares. */
  snapshots: string[];
  kept: { id: string; why: string }[];
}

export function selectImagesToRemove(
  images: ImageInfo[],
  inUse: ReadonlySet<string>,
  keep: number,
): Selection {
  const newestFirst = [...images].sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
  const remove: ImageInfo[] = [];
  const kept: Selection['kept'] = [];
  newestFirst.forEach((image, index) => {
    if (inUse.has(image.id)) kept.push({ id: image.id, why: 'in use' });
    else if (index < keep) kept.push({ id: image.id, why: `one of the newest ${keep}` });
    else remove.push(image);
  });
  const keptIds = new Set(kept.map((k) => k.id));
  const keptSnapshots = new Set(images.filter((i) => keptIds.has(i.id)).flatMap((i) => i.snapshotIds));
  const snapshots = [...new Set(remove.flatMap((i) => i.snapshotIds))].filter((s) => !keptSnapshots.has(s));
  return { remove, snapshots, kept };
}

export interface CleanupRequest {
  keep: number;
  /** Filters that identify the pipeline's AMIs; other AMIs of the account are never considered. */
  filters: ImageFilter[];
  /** AMIs the environments use or may roll back to (both colours, deploy records). */
  protectedAmis: ReadonlySet<string>;
  dryRun: boolean;
}

export async function cleanupAmis(
  deps: { aws: AwsGateway; reporter: Reporter },
  req: CleanupRequest,
): Promise<RunResult> {
  const { aws, reporter } = deps;
  reporter.step('inventory', 'List the pipeline AMIs and everything that references an AMI');
  const images = await aws.ownedImages(req.filters);
  const referenced = await aws.imagesReferencedInRegion();
  const inUse = new Set([...req.protectedAmis, ...referenced]);
  const selection = selectImagesToRemove(images, inUse, req.keep);
  reporter.end(
    'ok',
    `${images.length} AMI(s), ${selection.kept.length} kept, ${selection.remove.length} to remove`,
  );
  for (const k of selection.kept) reporter.info(`keep ${k.id}: ${k.why}`);

  reporter.step(
    'remove',
    req.dryRun ? 'Would remove (dry run)' : 'Deregister AMIs and delete their snapshots',
  );
  for (const image of selection.remove) {
    reporter.info(`${req.dryRun ? 'would deregister' : 'deregister'} ${image.id} (${image.name})`);
    if (!req.dryRun) await aws.deregisterImage(image.id);
  }
  for (const snapshot of selection.snapshots) {
    reporter.info(`${req.dryRun ? 'would delete' : 'delete'} snapshot ${snapshot}`);
    if (!req.dryRun) await aws.deleteSnapshot(snapshot);
  }
  const verb = req.dryRun ? 'would remove' : 'removed';
  return reporter.finish(
    'cleanup-amis',
    'region',
    req.dryRun ? 'planned' : 'succeeded',
    `${verb} ${selection.remove.length} AMI(s) and ${selection.snapshots.length} snapshot(s)`,
  );
}
