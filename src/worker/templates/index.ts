export { buildTaskContext, type BuiltTaskContext, type TaskContextInput, type TaskServices } from './context.ts';
export { createMacros, dsAdd, dsFormat } from './macros.ts';
export { templateEnvironment, templateSearchPaths } from './environment.ts';
export { renderTemplateFields, type RenderInput } from './render.ts';
