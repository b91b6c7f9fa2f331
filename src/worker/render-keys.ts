import {chunkFileNames} from '../render/render-chunk.js';

/** Where a render's files live in the bucket. */
export const renderFolder = (renderId: string): string => `renders/${renderId}/`;
export const chunksFolder = (renderId: string): string => `${renderFolder(renderId)}chunks/`;
export const outputKey = (renderId: string, outName: string): string => `${renderFolder(renderId)}${outName}`;

export const chunkKeys = (renderId: string, index: number): {video: string; audio: string} => {
	const names = chunkFileNames(index);
	return {video: `${chunksFolder(renderId)}${names.video}`, audio: `${chunksFolder(renderId)}${names.audio}`};
};
