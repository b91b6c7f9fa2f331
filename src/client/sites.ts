import {requestJson, type ServerOptions} from './request-json.js';

export type SiteSummary = {siteName: string; shared: boolean; serveUrl: string; hash: string; files: number; sizeInBytes: number; deployedAt: number};

/** Your deployed sites (and the shared ones), and the bucket they are in. */
export const getSites = (server: ServerOptions) => requestJson<{sites: SiteSummary[]; bucketName: string}>(server, 'GET', '/api/sites');

/** Removes a site and its files. */
export const deleteSite = ({siteName, shared = false, ...server}: ServerOptions & {siteName: string; shared?: boolean}) =>
	requestJson<{siteName: string; removed: true}>(server, 'DELETE', `/api/sites/${encodeURIComponent(siteName)}${shared ? '?shared=true' : ''}`);
