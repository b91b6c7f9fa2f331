import {getSites} from '../client/sites.js';
import {farmOf, type FarmConnection} from './farm-connection.js';

/** The farm's bucket: there is one, made by the farm, so it always already existed. */
export const getOrCreateBucket = async (input: {[option: string]: unknown} & FarmConnection): Promise<{bucketName: string; alreadyExisted: boolean}> => {
	const {bucketName} = await getSites(farmOf(input));
	return {bucketName, alreadyExisted: true};
};
