import { addRoutes } from '../orchestrator.js';
import { buildOpenApi, referencePage } from './openapi.js';

addRoutes((router, ctx) => {
  const doc = buildOpenApi({ orchestratorUrl: ctx.config.publicUrl, compositorUrl: ctx.config.compositorUrls[0] });
  const page = referencePage(doc);
  router.get('/api/openapi.json', (c) => {
    c.body = doc;
  });
  router.get('/api/docs', (c) => {
    c.type = 'text/html; charset=utf-8';
    c.body = page;
  });
});
