import { Type } from 'typebox';
import { DateTime, Nullable, Uuid } from './common.ts';

export const Checkpoint = Type.Object({
  chain: Type.String({ description: 'A workspace id, or `service`' }),
  chain_seq: Type.String({ description: 'Position signed (a decimal string: positions are 64-bit)' }),
  hash: Type.String({ description: 'SHA-256 (hex) of the entry at that position' }),
  signed_at: DateTime,
  key_id: Type.String(),
  signature: Type.String({ description: 'Base64 Ed25519 signature of the checkpoint message (README, Audit)' }),
});

export const VerifyResult = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer({ description: 'Entries recomputed' }),
  first_broken: Nullable(
    Type.Object({
      id: Type.String({ description: 'The entry where the chain breaks (empty when none is left to name)' }),
      recorded_at: DateTime,
      reason: Type.String(),
    }),
  ),
  last_checkpoint: Nullable(Checkpoint),
});

export const LegalHold = Type.Object({
  workspace_id: Uuid,
  held: Type.Boolean(),
  since: Nullable(DateTime),
  reason: Nullable(Type.String()),
  by_user_id: Nullable(Uuid),
});
