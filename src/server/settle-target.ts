import type {RenderJob} from '../backend/render-record.js';
import {compileCode} from '../code/compile-code.js';
import {codeRenderTarget} from '../render/dynamic-composition.js';
import type {AppContext} from './app-context.js';
import {findSite} from './find-site.js';
import {codeInputPropsSchema} from './schemas.js';
import {checkCodeSize, checkCompositionLimits} from './submit-limits.js';

/** What a request names to render: a site's composition, or code (validated by the route's schema). */
export type TargetRequest = {
	siteName?: string | undefined;
	serveUrl?: string | undefined;
	composition?: string | undefined;
	inputProps: Record<string, unknown>;
	width?: number | undefined;
	height?: number | undefined;
};

export type RenderTarget = Pick<RenderJob, 'site' | 'composition' | 'inputProps'>;

/** A code render: the code compiled (a compile error is the client's 400), on the built-in site. */
const codeTarget = async (context: AppContext, request: TargetRequest, codeDefaults: object): Promise<RenderTarget> => {
	const {code, durationInFrames, fps} = codeInputPropsSchema.parse({...codeDefaults, ...request.inputProps});
	const width = request.width ?? 1920;
	const height = request.height ?? 1080;
	checkCodeSize(code, context.limits);
	checkCompositionLimits({durationInFrames, fps, width, height}, context.limits, (field) => (field === 'width' || field === 'height' ? field : `inputProps.${field}`));
	const compiled = await compileCode(code);
	return codeRenderTarget({js: compiled.js, exportName: compiled.exportName, durationInFrames, fps, width, height});
};

/** A deployed site's composition, resolved now (its calculateMetadata() included) for the inputProps; a CompositionError is the client's 400. */
const siteTarget = async (context: AppContext, owner: string, request: TargetRequest): Promise<RenderTarget> => {
	const site = await findSite(context, owner, request);
	return {site, composition: await context.siteBrowser.resolveComposition(site, request.composition!, request.inputProps), inputProps: request.inputProps};
};

/**
 * Settles what a render or a still renders, once, when it is asked for: the code compiled, or
 * the site's composition resolved with its inputProps. `codeDefaults` fill a code request's
 * inputProps (a still of code needs no duration).
 */
export const settleTarget = (context: AppContext, owner: string, request: TargetRequest, codeDefaults: object = {}): Promise<RenderTarget> =>
	request.siteName !== undefined || request.serveUrl !== undefined ? siteTarget(context, owner, request) : codeTarget(context, request, codeDefaults);
