// Only `prisma dev` (a local Prisma Postgres server) imports @prisma/streams-local, and the real
// package requires Node 22. kubeprep does not use `prisma dev`; package.json "overrides" puts this
// folder in its place so installs on Node 20 print no engine warning.
export async function startLocalDurableStreamsServer() {
  throw new Error("`prisma dev` is not available in kubeprep: its durable streams server (@prisma/streams-local) needs Node 22.");
}
