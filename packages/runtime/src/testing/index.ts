export { SHELL_CONNECTOR } from "./shell-connector.js";
export {
  type ContainerTestSetup,
  containersNamed,
  REQUIRE_CONTAINERS_ENV,
  setUpContainerTests,
  type TestImages,
} from "./test-images.js";
