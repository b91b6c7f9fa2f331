import {FramefarmApiError} from '../client/api-error.js';
import {requestJson} from '../client/request-json.js';
import {deleteSite as deleteFarmSite, type SiteSummary} from '../client/sites.js';
import {farmOf, type FarmConnection} from './farm-connection.js';

export type DeleteSiteInput = {[option: string]: unknown} & FarmConnection & {bucketName: string; siteName: string};

/**
 * Removes one of the key's sites (or a shared site it deployed) and its files. As in Lambda, a
 * site that is not there frees 0 bytes rather than throwing.
 */
export const deleteSite = async (input: DeleteSiteInput): Promise<{totalSizeInBytes: number}> => {
	const farm = farmOf(input);
	const site = `/api/sites/${encodeURIComponent(input.siteName)}`;
	try {
		const {sizeInBytes, shared} = await requestJson<SiteSummary>(farm, 'GET', site);
		await deleteFarmSite({...farm, siteName: input.siteName, shared});
		return {totalSizeInBytes: sizeInBytes};
	} catch (err) {
		if (err instanceof FramefarmApiError && err.status === 404) {
			return {totalSizeInBytes: 0};
		}
		throw err;
	}
};
