import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { signForDemo } from '../services/embed/demo-host.ts';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * With EMBED_DEMO, a fake host page at `/embed/demo` that plays the host backend's part (signing
 * its user) so the embedded bell (`/embed/bell.js`, served from the web root) can be seen and
 * tested in place.
 */
const embedRoutes: FastifyPluginAsyncTypebox<{ demo: boolean }> = async (fastify, options) => {
  if (!options.demo) return;
  fastify.get(
    '/embed/demo',
    {
      schema: {
        hide: true,
        querystring: Type.Object(
          { email: Type.Optional(Type.String({ minLength: 3, maxLength: 320 })) },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const signed = await signForDemo(fastify.db, request.query.email ?? 'rep@acme.test');
      const attr = (value: string | number) => escapeHtml(String(value));
      return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Acme CRM (demo host page)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #1f2937; background: #f3f4f6; }
  header { display: flex; align-items: center; gap: 24px; padding: 0 24px; height: 56px; background: #1e3a8a; color: #fff; }
  header strong { font-size: 18px; }
  header nav { display: flex; gap: 16px; flex: 1; }
  header nav a { color: #dbeafe; text-decoration: none; }
  main { max-width: 880px; margin: 32px auto; padding: 0 24px; }
  /* A phone-width host page still shows its header's end, where the bell is. */
  @media (max-width: 520px) { header { gap: 12px; padding: 0 12px; } header nav { display: none; } }
  .card { background: #fff; border-radius: 8px; padding: 24px; box-shadow: 0 1px 2px rgb(0 0 0 / 8%); }
</style>
<script type="module" src="/embed/bell.js"></script>
</head>
<body>
<header>
  <strong>Acme CRM</strong>
  <nav aria-label="Host app"><a href="#leads">Leads</a><a href="#campaigns">Campaigns</a><a href="#reports">Reports</a></nav>
  <span>${attr(signed.userName)}</span>
  <tray-notify-bell workspace-id="${attr(signed.workspaceId)}" user-id="${attr(signed.userId)}"
    timestamp="${attr(signed.timestamp)}" signature="${attr(signed.signature)}"></tray-notify-bell>
</header>
<main>
  <div class="card">
    <h1>Pipeline</h1>
    <p>This page stands in for the host sales app. Its backend signed ${attr(signed.userName)}'s id for
    ${attr(signed.workspaceName)}; the bell in the header exchanged that for a session and shows their notifications.</p>
  </div>
</main>
</body>
</html>`);
    },
  );
};

export default embedRoutes;
