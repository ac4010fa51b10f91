import { Type, type Static, type TSchema } from 'typebox';

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });
export const DateTime = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Meta = Type.Object({}, { additionalProperties: true, description: 'Free-form details' });

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

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    page: Type.Integer(),
    page_size: Type.Integer(),
    next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null at the end' })),
  });

export const WorkspaceIdBody = Type.Object({ workspace_id: Uuid }, { additionalProperties: false });
export type WorkspaceIdBody = Static<typeof WorkspaceIdBody>;
