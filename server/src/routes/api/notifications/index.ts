import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAuth, requireInbox } from '../../../plugins/app/auth.ts';
import { inboxWorkspace } from '../../../domain/auth-context.ts';
import { DateTime, errorResponses, Page, Uuid } from '../../../schemas/common.ts';
import {
  flag,
  MarkAllReadBody,
  MarkAllSeenBody,
  MuteBody,
  MuteItem,
  NotificationItem,
  NotificationListQuery,
  NotificationPatch,
  UnreadCount,
} from '../../../schemas/notifications.ts';
import { listNotifications } from '../../../services/notifications/list-notifications.ts';
import { muteFromNotification } from '../../../services/notifications/mutes.ts';
import { unreadCount } from '../../../services/notifications/unread-count.ts';
import { markAllSeen, updateNotification } from '../../../services/notifications/update-notification.ts';
import { bulkUpdate, markAllRead, undoBulkUpdate } from '../../../services/notifications/bulk-update.ts';
import { BulkRequest, BulkResult, BulkUndoRequest, BulkUndoResult } from '@tray-notify/contract';
import { issueStreamTicket } from '../../../stream/stream-tickets.ts';

const notificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/api/notifications',
    {
      schema: {
        operationId: 'listNotifications',
        tags: ['notifications'],
        summary: "The caller's notifications (personal, plus workspace-level ones where admin), newest first",
        querystring: NotificationListQuery,
        response: { 200: Page(NotificationItem), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const query = request.query;
      const inbox = requireInbox(request);
      return listNotifications(fastify.db, {
        userId: inbox.userId,
        onlyUnread: flag(query.only_unread),
        archived: flag(query.archived),
        snoozed: flag(query.snoozed),
        workspaceId: inboxWorkspace(inbox, query.workspace_id),
        types: query.type?.split(','),
        limit: query.limit ?? 20,
        cursor: query.cursor,
      });
    },
  );

  fastify.get(
    '/api/notifications/unread-count',
    {
      schema: {
        operationId: 'getUnreadCount',
        tags: ['notifications'],
        summary: 'Unread and unseen (not archived, not snoozed) notifications of the caller, in total and per workspace',
        response: { 200: UnreadCount, ...errorResponses(401, 403) },
      },
    },
    async (request) => unreadCount(fastify.db, requireInbox(request)),
  );

  fastify.patch(
    '/api/notifications/:id',
    {
      schema: {
        operationId: 'updateNotification',
        tags: ['notifications'],
        summary: 'Mark one notification read/unread, archived/unarchived, seen/unseen, or snooze it (for the caller only)',
        params: Type.Object({ id: Uuid }),
        body: NotificationPatch,
        response: { 200: NotificationItem, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => updateNotification(fastify.db, requireInbox(request), request.params.id, request.body),
  );

  fastify.post(
    '/api/notifications/mark-all-read',
    {
      schema: {
        operationId: 'markAllNotificationsRead',
        tags: ['notifications'],
        summary: "Mark all the caller's unread notifications read (optionally of one workspace); undo with POST /api/notifications/bulk/undo",
        body: MarkAllReadBody,
        response: { 200: BulkResult, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const inbox = requireInbox(request);
      return markAllRead(fastify.db, inbox, inboxWorkspace(inbox, request.body?.workspace_id));
    },
  );

  fastify.post(
    '/api/notifications/bulk',
    {
      schema: {
        operationId: 'bulkUpdateNotifications',
        tags: ['notifications'],
        summary:
          'One action (read, unread, archive, unarchive, seen, snooze with `until`) on the listed ids (at most 1,000) or on everything a list filter matches, all or nothing, for the caller only; answers a single-use undo token',
        body: BulkRequest,
        response: { 200: BulkResult, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => bulkUpdate(fastify.db, requireInbox(request), request.body),
  );

  fastify.post(
    '/api/notifications/bulk/undo',
    {
      schema: {
        operationId: 'undoBulkUpdate',
        tags: ['notifications'],
        summary:
          "Take back a bulk change (or mark-all-read) once: each value it set is put back unless changed again since. 404: unknown, another user's or expired; 409: already undone",
        body: BulkUndoRequest,
        response: { 200: BulkUndoResult, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => undoBulkUpdate(fastify.db, requireInbox(request), request.body.undo_token),
  );

  fastify.post(
    '/api/notifications/mark-all-seen',
    {
      schema: {
        operationId: 'markAllNotificationsSeen',
        tags: ['notifications'],
        summary: "Mark what the caller's list showed seen (the badge counts unseen); unread stays until read",
        body: MarkAllSeenBody,
        response: { 200: Type.Object({ updated: Type.Integer() }), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const inbox = requireInbox(request);
      return markAllSeen(fastify.db, inbox.userId, {
        workspaceId: inboxWorkspace(inbox, request.body?.workspace_id),
        before: request.body?.before,
      });
    },
  );

  fastify.post(
    '/api/notifications/:id/mute',
    {
      schema: {
        operationId: 'muteNotification',
        tags: ['notifications'],
        summary:
          'Stop this notification\'s type, or everything about its lead, job or run, for the caller on every channel (undo: DELETE /api/notification-preferences/mutes/{id})',
        params: Type.Object({ id: Uuid }),
        body: MuteBody,
        response: { 200: MuteItem, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      muteFromNotification(fastify.db, requireAuth(request).user.id, request.params.id, request.body.scope),
  );

  fastify.post(
    '/api/notifications/stream-ticket',
    {
      schema: {
        operationId: 'createStreamTicket',
        tags: ['notifications'],
        summary: 'A single-use ticket (valid ~60 s) to open the stream where headers cannot be set (EventSource)',
        response: { 200: Type.Object({ ticket: Type.String(), expires_at: DateTime }), ...errorResponses(401) },
      },
    },
    async (request) => issueStreamTicket(fastify.db, requireAuth(request)),
  );
};

export default notificationRoutes;
