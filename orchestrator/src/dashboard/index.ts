import { addRoutes } from '../orchestrator.js';
import { registerSourceRoutes } from '../sources/source-routes.js';
import { registerCaptionsRoutes } from './captions-routes.js';
import { registerVideoRoutes } from './video-routes.js';

/** Dashboard-session routes and the signed source routes the compositor fetches from. */
addRoutes((router, ctx) => {
  registerVideoRoutes(router, ctx);
  registerCaptionsRoutes(router, ctx);
  registerSourceRoutes(router, ctx);
});
