import { Type } from 'typebox';

export { LoginResponse, Me, UserSummary } from '@tray-notify/contract';

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

