/**
 * Route modules beyond the public v1 API register themselves with
 * `addRoutes` when imported; importing this file wires them all.
 */
import './dashboard/index.js';
import './docs/docs-routes.js';
import './composites/composite-routes.js';
import './webhooks/webhook-routes.js';
import './observability/observability-routes.js';

export {};
