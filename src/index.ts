// framefarm as a library: the engine, the service and the drivers behind their interfaces.
export {compileCode, type CompiledCode} from './code/compile-code.js';
export {CompileError} from './code/compile-error.js';
export {loadConfig, workerSlots, type Config} from './config/load-config.js';
export {planChunks} from './render/plan-chunks.js';
export {renderVideo, type RenderVideoOptions, type RenderVideoResult} from './render/render-video.js';
export {RenderFailedError} from './render/render-failed-error.js';
export {probeVideo, type VideoProbe} from './render/probe-video.js';
export {getRenderProgress} from './progress/get-render-progress.js';
export {toStatus} from './progress/to-status.js';
export {toAppProgress} from './progress/to-app-progress.js';
export type {AppProgressResponse, RenderProgress, RenderStatusResponse, RenderErrorEntry} from './progress/progress-schemas.js';
export type {Backend, Task} from './backend/backend.js';
export {createBackend} from './backend/create-backend.js';
export type {Storage} from './storage/storage.js';
export {createStorage} from './storage/create-storage.js';
export {buildApp} from './server/build-app.js';
export {startServer, type RunningServer} from './server/start-server.js';
export {startWorker, type Worker} from './worker/start-worker.js';
