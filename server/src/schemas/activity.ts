import { Type } from 'typebox';
import { ActivityTypeSchema as ActivityTypeParam, SeveritySchema as SeverityParam } from '@tray-notify/contract';
import { EXPORT_FORMATS } from '../domain/types.ts';
import { PageQuery, Uuid } from './common.ts';

export { ActivityItem } from '@tray-notify/contract';
export { ActivityTypeParam, SeverityParam };

const filterProps = {
  q: Type.Optional(
    Type.String({ maxLength: 200, description: 'Words to find (all of them, as word prefixes) in the summary, actor name, entity id and meta values' }),
  ),
  type: Type.Optional(ActivityTypeParam),
  severity: Type.Optional(SeverityParam),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601; entries at or after' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'ISO 8601; entries before' })),
  entity_type: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  entity_id: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
};
const adminFilterProps = { workspace_id: Type.Optional(Uuid), actor_user_id: Type.Optional(Uuid) };
const exportProps = { format: Type.Enum([...EXPORT_FORMATS], { default: 'csv', description: 'csv (RFC 4180, with a header row) or ndjson' }) };

export const WorkspaceActivityQuery = Type.Object({ ...PageQuery, ...filterProps }, { additionalProperties: false });

export const AdminActivityQuery = Type.Object({ ...PageQuery, ...filterProps, ...adminFilterProps }, { additionalProperties: false });

export const WorkspaceActivityExportQuery = Type.Object({ ...filterProps, ...exportProps }, { additionalProperties: false });

export const AdminActivityExportQuery = Type.Object({ ...filterProps, ...adminFilterProps, ...exportProps }, { additionalProperties: false });

/** An export's 200: a download (Content-Disposition: attachment), streamed as it is read, newest first. */
export const ActivityExportDownload = {
  description: 'The matching entries as a download, newest first',
  content: {
    'text/csv': { schema: Type.String({ description: 'A header line, then one entry per line' }) },
    'application/x-ndjson': { schema: Type.String({ description: 'One activity entry per line, as JSON' }) },
  },
};
