import { Type } from 'typebox';
import { DateTime, Nullable, Uuid } from './common.ts';

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const UserSummary = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Type.String(),
  is_super_admin: Type.Boolean(),
});

export const LoginResponse = Type.Object({ token: Type.String(), expires_at: DateTime, user: UserSummary });

const RoleSchema = Type.Enum(['admin', 'member']);

export const Me = Type.Object(
  {
    id: Uuid,
    email: Type.String(),
    name: Type.String(),
    is_super_admin: Type.Boolean(),
    current_workspace: Nullable(Type.Object({ id: Uuid, name: Type.String(), role: RoleSchema })),
    memberships: Type.Array(Type.Object({ workspace_id: Uuid, workspace_name: Type.String(), role: RoleSchema })),
  }
);
