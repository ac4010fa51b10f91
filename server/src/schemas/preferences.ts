import { Type } from 'typebox';
import { NOTIFICATION_TYPES } from '../domain/types.ts';

const Channels = Type.Object(
  {
    in_app: Type.Boolean({ description: 'Shown in the inbox; off: not created for you at all' }),
    desktop: Type.Boolean({ description: 'Native toast' }),
    sound: Type.Boolean(),
    email: Type.Boolean({ description: 'Mailed in a digest (when the server has SMTP)' }),
  },
  { additionalProperties: false },
);

const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour' });

const QuietHours = Type.Object(
  {
    enabled: Type.Boolean(),
    start: ClockTime,
    end: ClockTime,
    time_zone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' }),
  },
  { additionalProperties: false, description: 'Desktop toasts and sounds are held in this window and summarised afterwards' },
);

const typeProperties = Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, Channels]));

export const Preferences = Type.Object({
  muted: Type.Boolean({ description: 'Silences toasts, sounds and email; the inbox still fills' }),
  quiet_hours: QuietHours,
  types: Type.Object(typeProperties, { additionalProperties: false }),
});

/** Replaces the preferences; types left out go back to their defaults. */
export const PreferencesBody = Type.Object(
  {
    muted: Type.Boolean(),
    quiet_hours: QuietHours,
    types: Type.Object(
      Object.fromEntries(NOTIFICATION_TYPES.map((type) => [type, Type.Optional(Channels)])),
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
