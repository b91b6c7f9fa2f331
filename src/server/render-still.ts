import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {z} from 'zod';
import {estimateCost} from '../progress/estimate-cost.js';
import {contentTypeOf} from '../storage/content-type-of.js';
import {CompositionError} from '../sites/site-browser.js';
import {outputKey, stillRecordKey} from '../worker/render-keys.js';
import type {AppContext} from './app-context.js';
import {badRequest, HttpError} from './http-error.js';
import {makeRenderId} from './make-render-id.js';
import type {stillBodySchema, stillResponseSchema} from './schemas.js';
import {settleTarget} from './settle-target.js';


/**
 * A still, as renderStillOnLambda() makes one: the request waits while the API's warm browser
 * renders the frame, and is answered once the image is in the bucket. It takes no queue place
 * and no worker slot: one frame takes about as long as setting up a chunk.
 */
export const renderStillFor = async (context: AppContext, owner: string, body: z.output<typeof stillBodySchema>): Promise<z.output<typeof stillResponseSchema>> => {
	const startedAt = Date.now();
	const target = await settleTarget(context, owner, body);
	const frames = target.composition.durationInFrames;
	if (body.frame >= frames) {
		throw badRequest(`frame must be between 0 and ${frames - 1}: the composition "${target.composition.id}" has ${frames} frame${frames === 1 ? '' : 's'}`);
	}
	// Each image format's name is its extension (and .jpg is a jpeg too).
	const extension = body.outName === undefined ? body.imageFormat : path.extname(body.outName).slice(1);
	if (extension !== body.imageFormat && !(extension === 'jpg' && body.imageFormat === 'jpeg')) {
		throw badRequest(`outName must end in .${body.imageFormat} for imageFormat ${body.imageFormat}`);
	}
	const renderId = makeRenderId();
	const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'framefarm-still-'));
	try {
		const file = path.join(dir, `still.${extension}`);
		try {
			await context.siteBrowser.renderStill(target, {frame: body.frame, imageFormat: body.imageFormat, jpegQuality: body.jpegQuality, scale: body.scale, envVariables: body.envVariables}, file);
		} catch (err) {
			if (err instanceof CompositionError) {
				throw new HttpError(400, 'still_failed', err.message);
			}
			throw err;
		}
		const key = outputKey(renderId, body.outName ?? `out.${extension}`);
		const stored = await context.storage.putFile(key, file, contentTypeOf(key));
		const record = path.join(dir, 'still.json');
		await fs.promises.writeFile(record, JSON.stringify({owner, outKey: key, createdAt: startedAt}));
		await context.storage.putFile(stillRecordKey(renderId), record, 'application/json');
		return {
			renderId,
			bucketName: context.storage.bucketName,
			url: await context.storage.url(key),
			outKey: key,
			sizeInBytes: stored.size,
			estimatedPrice: estimateCost({busyMs: Date.now() - startedAt, invocations: 1, pricing: context.pricing}),
		};
	} finally {
		await fs.promises.rm(dir, {recursive: true, force: true});
	}
};
