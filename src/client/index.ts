import type {z} from 'zod';
import type {AppProgressResponse, RenderProgress, RenderStatusResponse} from '../progress/progress-schemas.js';
import type {stillBodySchema, stillResponseSchema, submitBodySchema, submitResponseSchema} from '../server/schemas.js';
import {requestJson, type ServerOptions} from './request-json.js';

export {FramefarmApiError} from './api-error.js';
export {FramefarmRenderError, waitForRender, type FinishedRender, type WaitForRenderOptions} from './wait-for-render.js';
export type {AppProgressResponse, RenderProgress, RenderStatusResponse, ServerOptions};

export type RenderMediaOptions = ServerOptions &
	Omit<z.input<typeof submitBodySchema>, 'inputProps'> & {code: string; durationInFrames: number; fps: number};

/**
 * Queues a render; resolves with its id, the bucket and its queue position. `webhook` asks for a
 * POST when it succeeds or fails, signed with its secret as Remotion Lambda signs.
 */
export const renderMedia = ({serverUrl, apiKey, code, durationInFrames, fps, ...rest}: RenderMediaOptions) =>
	requestJson<z.output<typeof submitResponseSchema>>({serverUrl, apiKey}, 'POST', '/api/render', {
		inputProps: {code, durationInFrames, fps},
		...rest,
	});

/** Queues a render of any kind: code, or a deployed site's composition (`siteName`, `composition`, `inputProps`), with any codec and render options. */
export const submitRender = ({serverUrl, apiKey, ...body}: ServerOptions & z.input<typeof submitBodySchema>) =>
	requestJson<z.output<typeof submitResponseSchema>>({serverUrl, apiKey}, 'POST', '/api/render', body);

/** Renders one frame as an image and resolves once it is stored (renderStillOnLambda()'s answer). */
export const renderStill = ({serverUrl, apiKey, ...body}: ServerOptions & z.input<typeof stillBodySchema>) =>
	requestJson<z.output<typeof stillResponseSchema>>({serverUrl, apiKey}, 'POST', '/api/still', body);

export {deleteSite, getSites, type SiteSummary} from './sites.js';

/** The whole progress object of a render (Remotion Lambda's getRenderProgress() shape). */
export const getRenderProgress = ({renderId, ...server}: ServerOptions & {renderId: string}) =>
	requestJson<RenderProgress>(server, 'GET', `/api/render/${encodeURIComponent(renderId)}/progress`);

/** The short status: queued, progress, done or error. */
export const getRenderStatus = ({renderId, ...server}: ServerOptions & {renderId: string}) =>
	requestJson<RenderStatusResponse>(server, 'GET', `/api/render/${encodeURIComponent(renderId)}`);

/** Cancels a queued or running render. */
export const cancelRender = ({renderId, ...server}: ServerOptions & {renderId: string}) =>
	requestJson<RenderStatusResponse>(server, 'DELETE', `/api/render/${encodeURIComponent(renderId)}`);
