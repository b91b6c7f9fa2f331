import {text} from 'node:stream/consumers';
import {stillRecordKey} from '../worker/render-keys.js';
import type {AppContext} from './app-context.js';

/** Whose files are under renders/<renderId>/: the render's owner, or the still's; null when nobody's. */
export const ownerOfRender = async (context: AppContext, renderId: string): Promise<string | null> => {
	const render = await context.backend.getRender(renderId);
	if (render !== null) {
		return render.owner;
	}
	const still = await context.storage.read(stillRecordKey(renderId));
	if (still === null) {
		return null;
	}
	try {
		return (JSON.parse(await text(still.body)) as {owner?: string}).owner ?? null;
	} catch {
		return null;
	}
};
