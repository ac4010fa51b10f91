import { Type, type Static } from 'typebox';

// The pieces of the wire contract that request schemas here build on.
import { Uuid } from '@tray-notify/contract';
export { DateTime, Meta, Nullable, Page, Uuid } from '@tray-notify/contract';

export const ErrorResponse = Type.Object(
  {
    error: Type.String({ description: 'Stable machine-readable code, e.g. `not_found`' }),
    message: Type.String({ description: 'What was wrong, and how to fix it' }),
  },
  { $id: 'ErrorResponse' },
);

/** The error responses every authenticated route can give, by status code. */
export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [code, Type.Ref('ErrorResponse')]));

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, description: '`next_cursor` of the previous page (keyset pagination)' }),
  ),
};

export const WorkspaceIdBody = Type.Object({ workspace_id: Uuid }, { additionalProperties: false });
export type WorkspaceIdBody = Static<typeof WorkspaceIdBody>;
