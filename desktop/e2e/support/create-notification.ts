// Creates a notification with the server's own service (the one its flows call), which also
// appends the stream events. Run with tsx: the contract has no "create notification" endpoint.
// Usage: tsx create-notification.ts '<json: {email, workspaceName, type, title, body, targetUrl}>'
import { createPrismaClient } from '../../../server/src/db/prisma.ts';
import { createNotification } from '../../../server/src/services/notifications/create-notification.ts';

const input = JSON.parse(process.argv[2] ?? '{}') as {
  email: string;
  workspaceName: string;
  type: string;
  title: string;
  body: string;
  targetUrl: string | null;
};
const url = process.env.E2E_DATABASE_URL;
if (!url) throw new Error('E2E_DATABASE_URL is not set');
const prisma = createPrismaClient(url, 2);
try {
  const user = await prisma.user.findUniqueOrThrow({ where: { email: input.email } });
  const workspace = await prisma.workspace.findFirstOrThrow({ where: { name: input.workspaceName } });
  const { notification } = await createNotification(prisma, {
    workspaceId: workspace.id,
    userId: user.id,
    type: input.type,
    title: input.title,
    body: input.body,
    targetUrl: input.targetUrl,
  });
  process.stdout.write(JSON.stringify(notification));
} finally {
  await prisma.$disconnect();
}
