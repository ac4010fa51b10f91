import { Type } from 'typebox';
import { DateTime, Nullable, Uuid } from './common.ts';

export const TaskItem = Type.Object({
  id: Uuid,
  workspace_id: Uuid,
  lead_id: Uuid,
  title: Type.String(),
  assignee_user_id: Uuid,
  creator_user_id: Uuid,
  due_at: Nullable(DateTime),
  completed_at: Nullable(DateTime),
  created_at: DateTime,
});

export const CreateTaskBody = Type.Object(
  {
    lead_id: Uuid,
    title: Type.String({ minLength: 1, maxLength: 300 }),
    assignee_user_id: Uuid,
    due_at: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);
