import {compileCode} from '../code/compile-code.js';
import type {RenderRecord} from '../backend/render-record.js';
import type {AppContext} from './app-context.js';
import {makeRenderId} from './make-render-id.js';
import type {z} from 'zod';
import type {submitBodySchema} from './schemas.js';

/**
 * Compiles the code (a compile error is the client's 400, and no render is created), then
 * records the render as queued. Both submit routes come through here.
 */
export const submitRender = async (
	context: AppContext,
	owner: string,
	body: z.output<typeof submitBodySchema>,
): Promise<{render: RenderRecord; queuePosition: number | null}> => {
	const compiled = await compileCode(body.inputProps.code);
	const render = await context.backend.submitRender({
		id: makeRenderId(),
		owner,
		createdAt: context.now(),
		job: {
			durationInFrames: body.inputProps.durationInFrames,
			fps: body.inputProps.fps,
			width: body.width,
			height: body.height,
			framesPerChunk: body.framesPerChunk ?? context.defaultFramesPerChunk,
			codec: body.codec,
			outName: body.outName,
			js: compiled.js,
			exportName: compiled.exportName,
		},
	});
	return {render, queuePosition: await context.backend.getQueuePosition(render.id)};
};
