export default async function globalTeardown() {
  await globalThis.__BMCP_PROVISIONER__?.teardownTestDatabase();
}
