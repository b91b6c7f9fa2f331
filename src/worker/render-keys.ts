import type {RenderJob} from '../backend/render-record.js';
import {chunkFileNames} from '../render/codecs.js';

/** Where a render's files live in the bucket. */
export const renderFolder = (renderId: string): string => `renders/${renderId}/`;
export const chunksFolder = (renderId: string): string => `${renderFolder(renderId)}chunks/`;
export const outputKey = (renderId: string, outName: string): string => `${renderFolder(renderId)}${outName}`;
/** The render's live stream: one HLS segment a chunk (see src/live/). */
export const liveFolder = (renderId: string): string => `${renderFolder(renderId)}live/`;
/** Not an object of the bucket: the API answers it from the render's chunks (see live-route.ts). */
export const livePlaylistKey = (renderId: string): string => `${renderFolder(renderId)}live.m3u8`;
export const liveSegmentKey = (renderId: string, index: number): string => `${liveFolder(renderId)}segment-${String(index).padStart(6, '0')}.ts`;
/** A still has no render record: this file beside its image says whose it is. */
export const stillRecordKey = (renderId: string): string => `${renderFolder(renderId)}still.json`;

/** Where a chunk's files go; null for a file the render's chunks do not have. */
export const chunkKeys = (renderId: string, index: number, {codec, options}: Pick<RenderJob, 'codec' | 'options'>): {video: string | null; audio: string | null} => {
	const names = chunkFileNames(index, codec, options.muted ?? false);
	const keyOf = (name: string | null) => (name === null ? null : `${chunksFolder(renderId)}${name}`);
	return {video: keyOf(names.video), audio: keyOf(names.audio)};
};
