import type * as remotion from '@remotion/lambda';
import type * as remotionClient from '@remotion/lambda/client';
import type * as framefarm from '../src/lambda/index.js';
import type * as framefarmClient from '../src/lambda/client.js';

// Type-checked by `npm test` (its build compiles test/): each function of framefarm/lambda (and
// framefarm/lambda/client) takes whatever Remotion Lambda's takes, and answers something Lambda's
// callers can use as Lambda's answer. When @remotion/lambda's types move, this stops compiling.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any) => any;
/** Lambda's parameters are accepted by ours. */
type Accepts<Ours extends Fn, Theirs extends Fn> = Parameters<Theirs> extends Parameters<Ours> ? true : false;
/** Our result can stand for Lambda's. */
type Answers<Ours extends Fn, Theirs extends Fn> = Awaited<ReturnType<Ours>> extends Awaited<ReturnType<Theirs>> ? true : false;
type Pair<Ours, Theirs> = Ours extends Fn ? (Theirs extends Fn ? [Accepts<Ours, Theirs>, Answers<Ours, Theirs>] : never) : never;

/** framefarm/lambda against @remotion/lambda. */
type Node<Name extends keyof typeof framefarm & keyof typeof remotion> = Pair<(typeof framefarm)[Name], (typeof remotion)[Name]>;
/** framefarm/lambda/client against @remotion/lambda/client. */
type Client<Name extends keyof typeof framefarmClient & keyof typeof remotionClient> = Pair<(typeof framefarmClient)[Name], (typeof remotionClient)[Name]>;

const CLIENT = [
	'renderMediaOnLambda', 'renderVideoOnLambda', 'getRenderProgress', 'cancelRenderOnLambda', 'deleteRender', 'renderStillOnLambda', 'getCompositionsOnLambda',
	'getSites', 'getFunctions', 'presignUrl', 'speculateFunctionName', 'validateWebhookSignature',
] as const;
const NODE = [
	'renderMediaOnLambda', 'renderVideoOnLambda', 'getRenderProgress', 'deleteRender', 'renderStillOnLambda', 'getCompositionsOnLambda', 'getSites', 'getFunctions',
	'presignUrl', 'validateWebhookSignature', 'deploySite', 'deleteSite', 'getOrCreateBucket',
] as const;

/** [true, true] for each name: assignable to the checks below only while every pair holds. */
const allHold = <Name extends string>(names: readonly Name[]) => Object.fromEntries(names.map((name) => [name, [true, true]])) as {[N in Name]: [true, true]};

export const clientChecks: {[Name in (typeof CLIENT)[number]]: Client<Name>} = allHold(CLIENT);
export const nodeChecks: {[Name in (typeof NODE)[number]]: Node<Name>} = allHold(NODE);
