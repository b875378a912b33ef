/**
 * Route modules beyond the public v1 API register themselves with
 * `addRoutes` when imported; importing this file wires them all.
 */
export {};
