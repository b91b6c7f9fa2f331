import type * as remotion from '@remotion/lambda/client';
import type * as framefarm from '../src/lambda/client.js';

// Type-checked by `npm test` (its build compiles test/): each function of framefarm/lambda/client
// takes whatever Remotion Lambda's light client takes, and answers something Lambda's callers can
// use as Lambda's answer. When @remotion/lambda's types move, this stops compiling.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any) => any;
/** Lambda's parameters are accepted by ours. */
type Accepts<Ours extends Fn, Theirs extends Fn> = Parameters<Theirs> extends Parameters<Ours> ? true : false;
/** Our result can stand for Lambda's. */
type Answers<Ours extends Fn, Theirs extends Fn> = Awaited<ReturnType<Ours>> extends Awaited<ReturnType<Theirs>> ? true : false;

type Both<Name extends keyof typeof framefarm & keyof typeof remotion> = (typeof framefarm)[Name] extends Fn
	? (typeof remotion)[Name] extends Fn
		? [Accepts<(typeof framefarm)[Name], (typeof remotion)[Name]>, Answers<(typeof framefarm)[Name], (typeof remotion)[Name]>]
		: never
	: never;

export const checks: {
	renderMediaOnLambda: Both<'renderMediaOnLambda'>;
	renderVideoOnLambda: Both<'renderVideoOnLambda'>;
	getRenderProgress: Both<'getRenderProgress'>;
	deleteRender: Both<'deleteRender'>;
	renderStillOnLambda: Both<'renderStillOnLambda'>;
	speculateFunctionName: Both<'speculateFunctionName'>;
	getFunctions: Both<'getFunctions'>;
	getSites: Both<'getSites'>;
	validateWebhookSignature: Both<'validateWebhookSignature'>;
} = {
	renderMediaOnLambda: [true, true],
	renderVideoOnLambda: [true, true],
	getRenderProgress: [true, true],
	deleteRender: [true, true],
	renderStillOnLambda: [true, true],
	speculateFunctionName: [true, true],
	getFunctions: [true, true],
	getSites: [true, true],
	validateWebhookSignature: [true, true],
};
