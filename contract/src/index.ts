export * from './lists.ts';
export * from './schemas.ts';
export * from './stream.ts';
export * from './bulk.ts';
