import type {VideoConfig} from 'remotion';
import {cancelRender, getRenderProgress, getSites, submitRender, type RenderProgress, type ServerOptions} from '../../src/client/index';
import {readEvents} from '../../src/client/read-events';
import {requestJson} from '../../src/client/request-json';

export {FramefarmApiError} from '../../src/client/api-error';
export type {RenderProgress};

// The dashboard is one more client of the API: the same routes, the same Bearer key, the same URLs.

export type Farm = ServerOptions;
export const farmWithKey = (apiKey: string): Farm => ({serverUrl: window.location.origin, apiKey});

export type RenderListItem = {
	renderId: string;
	status: 'queued' | 'rendering' | 'stitching' | 'done' | 'error' | 'cancelled';
	createdAt: number;
	finishedAt: number | null;
	durationInFrames: number;
	fps: number;
	width: number;
	height: number;
	outputFile: string | null;
	queuePosition: number | null;
	overallProgress: number;
	outputSizeInBytes: number | null;
	estimatedCost: number;
};
export type RenderList = {renders: RenderListItem[]; nextOffset: number | null};

export const listQuery = ({offset, status}: {offset: number; status: string | null}) =>
	`limit=20&offset=${offset}${status === null ? '' : `&status=${encodeURIComponent(status)}`}`;

export const listRenders = (farm: Farm, query: {offset: number; status: string | null}) => requestJson<RenderList>(farm, 'GET', `/api/renders?${listQuery(query)}`);

/** Follows a stream of the API's Server-Sent Events until it closes or `signal` aborts; each event's data parsed. */
export const followEvents = async <T>(farm: Farm, path: string, onEvent: (event: string, data: T) => void, signal: AbortSignal): Promise<void> => {
	for await (const {event, data} of readEvents(farm, path, signal)) {
		onEvent(event, JSON.parse(data) as T);
	}
};

export type ChunkAttempt = {attempt: number; worker: string | null; startedAt: number; endedAt: number | null; outcome: 'rendering' | 'done' | 'failed' | 'lost' | 'cancelled'};
export type ChunkRow = {index: number; frameRange: [number, number]; status: string; attempts: ChunkAttempt[]};

export const getChunks = (farm: Farm, renderId: string) => requestJson<{chunks: ChunkRow[]}>(farm, 'GET', `/api/render/${encodeURIComponent(renderId)}/chunks`);

export const getLog = async (farm: Farm, renderId: string): Promise<string> => {
	const response = await fetch(`${farm.serverUrl}/api/render/${encodeURIComponent(renderId)}/log`, {headers: {authorization: `Bearer ${farm.apiKey}`}});
	return response.ok ? response.text() : '';
};

export type Compiled = {js: string; exportName: string};
export type CompileFailure = {error: string; line: number | null; column: number | null};

/** Compiles code as a render would (POST /api/compile): the preview runs exactly what the farm renders. */
export const compile = async (farm: Farm, code: string): Promise<{ok: true; compiled: Compiled} | {ok: false; failure: CompileFailure}> => {
	const response = await fetch(`${farm.serverUrl}/api/compile`, {
		method: 'POST',
		headers: {authorization: `Bearer ${farm.apiKey}`, 'content-type': 'application/json'},
		body: JSON.stringify({code}),
	});
	if (response.ok) {
		return {ok: true, compiled: (await response.json()) as Compiled};
	}
	const {error, line, column} = (await response.json()) as {error: string; line?: number | null; column?: number | null};
	return {ok: false, failure: {error, line: line ?? null, column: column ?? null}};
};

/** Queues a render's job once more; the new render's id. */
export const renderAgain = (farm: Farm, renderId: string) => requestJson<{renderId: string}>(farm, 'POST', `/api/render/${encodeURIComponent(renderId)}/again`);

/** A site's compositions as its calculateMetadata() sets them up for no props. */
export const listCompositions = async (farm: Farm, siteName: string): Promise<VideoConfig[]> =>
	(await requestJson<{compositions: VideoConfig[]}>(farm, 'POST', '/api/compositions', {siteName, inputProps: {}})).compositions;

export {cancelRender, getRenderProgress, getSites, submitRender};
