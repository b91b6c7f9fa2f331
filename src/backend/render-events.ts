import type {RenderStatus} from './render-record.js';

/**
 * What a backend tells as it moves renders along, once per change of state and in the process
 * that made it: the metrics count these and the process log writes them. Each driver calls them
 * where it writes the render's own log, and test/backend-conformance.ts checks they agree.
 */
export type RenderEvents = {
	renderQueued: (render: {renderId: string; owner: string; chunks: number; frames: number}) => void;
	renderStarted: (render: {renderId: string; createdAt: number; startedAt: number}) => void;
	renderFinished: (render: {
		renderId: string;
		status: Extract<RenderStatus, 'done' | 'error' | 'cancelled'>;
		createdAt: number;
		finishedAt: number;
		failure: string | null;
	}) => void;
	chunkStarted: (chunk: {renderId: string; chunk: number; attempt: number; worker: string}) => void;
	chunkDone: (chunk: {renderId: string; chunk: number; attempt: number; worker: string | null; frames: number; ms: number}) => void;
	chunkFailed: (chunk: {renderId: string; chunk: number; attempt: number; worker: string | null; willRetry: boolean; message: string}) => void;
	/** An attempt whose worker died or restarted: the chunk is rendered again. */
	chunkLost: (chunk: {renderId: string; chunk: number; worker: string | null}) => void;
};

// Every event, once: the compiler says when one is missing.
export const RENDER_EVENT_NAMES = Object.keys({
	renderQueued: true,
	renderStarted: true,
	renderFinished: true,
	chunkStarted: true,
	chunkDone: true,
	chunkFailed: true,
	chunkLost: true,
} satisfies Record<keyof RenderEvents, true>) as (keyof RenderEvents)[];

/** Listeners for every event, made by `listen(name)`. */
export const renderEventsOf = (listen: (name: keyof RenderEvents) => (event: never) => void): RenderEvents =>
	Object.fromEntries(RENDER_EVENT_NAMES.map((name) => [name, listen(name)])) as unknown as RenderEvents;

export const NO_RENDER_EVENTS: RenderEvents = renderEventsOf(() => () => undefined);

/** Every listener hears every event; one that throws does not keep the others (or the backend) from going on. */
export const allRenderEvents = (...listeners: RenderEvents[]): RenderEvents =>
	renderEventsOf((name) => (event: never) => {
		for (const listener of listeners) {
			try {
				(listener[name] as (event: never) => void)(event);
			} catch {
				// A metric or a log line is never worth a render.
			}
		}
	});
