// Public API of the clients: the reusable core (transport, errors, waiters…) and the Scaleway clients.
export * from "./core";
export * from "./scaleway";
