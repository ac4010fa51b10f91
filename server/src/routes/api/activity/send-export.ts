import type { FastifyReply } from 'fastify';
import type { Db } from '../../../db/prisma.ts';
import type { ExportFormat } from '../../../domain/types.ts';
import { EXPORT_CONTENT_TYPES, exportActivity } from '../../../services/activity/export-activity.ts';
import type { ActivityFilters } from '../../../services/activity/list-activity.ts';

/** Streams an activity export as a download (both activity feeds export the same way). */
export function sendActivityExport(reply: FastifyReply, db: Db, filters: ActivityFilters, format: ExportFormat, rowsPerSecond: number) {
  const stamp = new Date().toISOString().slice(0, 19).replaceAll(':', '-');
  return reply
    .header('content-type', EXPORT_CONTENT_TYPES[format])
    .header('content-disposition', `attachment; filename="activity-${stamp}.${format}"`)
    .header('cache-control', 'no-store')
    .send(exportActivity(db, filters, format, rowsPerSecond));
}
