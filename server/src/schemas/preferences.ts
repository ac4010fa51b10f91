import { Type } from 'typebox';
import { QuietHours, TypePreference } from '@tray-notify/contract';
import { NOTIFICATION_TYPES } from '../domain/types.ts';

export { Preferences } from '@tray-notify/contract';

/** Replaces the preferences; types left out go back to their defaults. */
export const PreferencesBody = Type.Object(
  {
    muted: Type.Boolean(),
    quiet_hours: QuietHours,
    types: Type.Object(
      Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, Type.Optional(TypePreference)])),
      { additionalProperties: false },
    ),
    // Clients send back what GET answered; the locks in it are the workspaces' and are ignored.
    locks: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Read-only: ignored' })),
  },
  { additionalProperties: false },
);
