// Public API of the clients: the reusable core (transport, errors, waiters…), the Scaleway and Scalingo clients.
export * from "./core";
export * from "./scaleway";
export * from "./scalingo";
