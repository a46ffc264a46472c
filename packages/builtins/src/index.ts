export {
  type BuiltinInfo,
  type BuiltinName,
  builtinConnectors,
  type ConnectorKind,
  findBuiltin,
  listBuiltins,
} from "./registry.js";
