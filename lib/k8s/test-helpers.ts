/**
 * Test support for code outside the engine (test/, scripts/): a test cluster, requests against it, and a
 * kubectl harness. Not for application code.
 */
export { createTestCluster, request, bodyJson } from "./api/test-helpers";
export { createHarness, type Harness } from "./kubectl/test-helpers";
export { STORE_LIMITS } from "./api/storage-limits";
