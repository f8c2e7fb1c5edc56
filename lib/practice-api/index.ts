/** The HTTPS practice API server (real kubectl against simulated clusters); see docs/practice-api.md. */
export {
  startPracticeApiServer,
  splitInstancePath,
  type PracticeApiServer,
  type PracticeApiServerOptions,
  type RequestEvent,
} from "./server";
export { MemoryInstanceStore, type InstanceStore } from "./instance-store";
export { createServingIdentity, type ServingIdentity, type ServingIdentityOptions } from "./serving";
export { buildKubeconfig, type KubeconfigOptions, type KubeconfigUser } from "./kubeconfig";
export {
  createIdentitiesFixture,
  FIXTURE_INSTANCE_ID,
  type FixtureIdentity,
  type FixtureCredential,
  type IdentitiesFixture,
} from "./fixture";
