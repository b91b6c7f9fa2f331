import type {z} from 'zod';
import type {RenderRecord, RenderStatus} from '../backend/render-record.js';
import type {AppContext} from './app-context.js';
import {progressOf} from './read-progress.js';
import type {listResponseSchema} from './schemas.js';

// Filtering by status reads the key's renders in pages of this many.
const SCAN_PAGE = 100;

/** One more than asked (it tells whether there is a next page) of the owner's renders in `status`, newest first. */
const rendersIn = async (context: AppContext, owner: string, {limit, offset, status}: {limit: number; offset: number; status?: RenderStatus | undefined}): Promise<RenderRecord[]> => {
	if (status === undefined) {
		return context.backend.listRenders({owner, limit: limit + 1, offset});
	}
	// Both backends list by owner; a status is picked out here (a key's renders are bounded by retention).
	const matching: RenderRecord[] = [];
	for (let scanned = 0; matching.length < offset + limit + 1; scanned += SCAN_PAGE) {
		const page = await context.backend.listRenders({owner, limit: SCAN_PAGE, offset: scanned});
		matching.push(...page.filter((render) => render.status === status));
		if (page.length < SCAN_PAGE) {
			break;
		}
	}
	return matching.slice(offset, offset + limit + 1);
};

/** A page of the owner's renders (GET /api/renders and its event stream), each with its progress, size and cost. */
export const listRenderPage = async (
	context: AppContext,
	owner: string,
	query: {limit: number; offset: number; status?: RenderStatus | undefined},
): Promise<z.output<typeof listResponseSchema>> => {
	const renders = await rendersIn(context, owner, query);
	const page = renders.slice(0, query.limit);
	const progresses = await Promise.all(page.map((render) => progressOf(context, render)));
	return {
		renders: page.map((render, i) => {
			const progress = progresses[i]!;
			return {
				renderId: render.id,
				status: render.status,
				createdAt: render.createdAt,
				finishedAt: render.finishedAt,
				durationInFrames: render.job.composition.durationInFrames,
				fps: render.job.composition.fps,
				width: render.job.composition.width,
				height: render.job.composition.height,
				outputFile: progress.outputFile,
				queuePosition: progress.queuePosition,
				overallProgress: progress.overallProgress,
				outputSizeInBytes: progress.outputSizeInBytes,
				estimatedCost: progress.costs.accruedSoFar,
			};
		}),
		nextOffset: renders.length > query.limit ? query.offset + query.limit : null,
	};
};
